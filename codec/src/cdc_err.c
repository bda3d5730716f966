/*
 * cdc_err.c - names and messages of the codec's error codes and quirks.
 *
 * One table per concept, indexed by the fixed enum values, so a new code
 * shows up in cdc_strerror and cdc_err_name together.
 */
#include "codec/cdc.h"

struct err_row {
    int code;
    const char *name;
    const char *msg;
};

static const struct err_row err_rows[] = {
    {CDC_OK, "OK", "success"},
    {CDC_ERR_NOMEM, "ERR_NOMEM", "out of memory"},
    {CDC_ERR_INVALID_ARG, "ERR_INVALID_ARG", "invalid argument"},
    {CDC_ERR_TOO_LARGE, "ERR_TOO_LARGE", "input or output exceeds a configured limit"},
    {CDC_ERR_TRUNCATED, "ERR_TRUNCATED", "input ends inside a construct"},
    {CDC_ERR_UTF8, "ERR_UTF8", "invalid UTF-8 in text"},
    {CDC_ERR_JSON, "ERR_JSON", "invalid JSON"},
    {CDC_ERR_JSON_DEPTH, "ERR_JSON_DEPTH", "JSON nested deeper than the limit"},
    {CDC_ERR_STATE, "ERR_STATE", "decoder already failed; reset it"},
    {CDC_ERR_EIO_EMPTY, "ERR_EIO_EMPTY", "empty Engine.IO packet"},
    {CDC_ERR_EIO_TYPE, "ERR_EIO_TYPE", "unknown Engine.IO packet type"},
    {CDC_ERR_EIO_BASE64, "ERR_EIO_BASE64", "invalid base64 in a binary packet"},
    {CDC_ERR_EIO_DATA, "ERR_EIO_DATA", "data not allowed for this Engine.IO packet type"},
    {CDC_ERR_EIO_LENGTH, "ERR_EIO_LENGTH", "malformed or mismatched v3 payload length"},
    {CDC_ERR_EIO_BINARY_PAYLOAD, "ERR_EIO_BINARY_PAYLOAD", "malformed v3 binary payload"},
    {CDC_ERR_EIO_HANDSHAKE, "ERR_EIO_HANDSHAKE", "open packet is not the required object"},
    {CDC_ERR_EIO_HANDSHAKE_FIELD, "ERR_EIO_HANDSHAKE_FIELD",
     "open packet field has a wrong type or range"},
    {CDC_ERR_EIO_ERROR_BODY, "ERR_EIO_ERROR_BODY", "error body is not {\"code\",\"message\"}"},
    {CDC_ERR_EIO_ERROR_CODE, "ERR_EIO_ERROR_CODE", "unknown Engine.IO error code"},
    {CDC_ERR_WT_LENGTH, "ERR_WT_LENGTH", "invalid WebTransport frame length"},
    {CDC_ERR_EIO_BINARY, "ERR_EIO_BINARY", "binary data not allowed in this framing"},
    {CDC_ERR_SIO_TYPE, "ERR_SIO_TYPE", "unknown Socket.IO packet type"},
    {CDC_ERR_SIO_ATTACHMENTS, "ERR_SIO_ATTACHMENTS", "malformed attachment count"},
    {CDC_ERR_SIO_TOO_MANY_ATTACHMENTS, "ERR_SIO_TOO_MANY_ATTACHMENTS",
     "attachment count above the limit"},
    {CDC_ERR_SIO_NAMESPACE, "ERR_SIO_NAMESPACE", "malformed namespace"},
    {CDC_ERR_SIO_ACK_ID, "ERR_SIO_ACK_ID", "malformed or misplaced ack id"},
    {CDC_ERR_SIO_JSON, "ERR_SIO_JSON", "payload is not valid JSON"},
    {CDC_ERR_SIO_PAYLOAD, "ERR_SIO_PAYLOAD", "payload has the wrong shape for the packet type"},
    {CDC_ERR_SIO_EVENT_NAME, "ERR_SIO_EVENT_NAME", "invalid or reserved event name"},
    {CDC_ERR_SIO_PLACEHOLDER, "ERR_SIO_PLACEHOLDER", "placeholder does not name an attachment"},
    {CDC_ERR_SIO_UNEXPECTED_BINARY, "ERR_SIO_UNEXPECTED_BINARY",
     "binary message when no attachment is expected"},
    {CDC_ERR_SIO_UNEXPECTED_TEXT, "ERR_SIO_UNEXPECTED_TEXT",
     "text message while attachments are pending"},
    {CDC_ERR_SIO_MISSING_PAYLOAD, "ERR_SIO_MISSING_PAYLOAD", "packet type requires a payload"},
};

static const struct err_row *find(int err)
{
    for (size_t i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++)
        if (err_rows[i].code == err)
            return &err_rows[i];
    return NULL;
}

const char *cdc_strerror(int err)
{
    const struct err_row *r = find(err);
    return r ? r->msg : "unknown error";
}

const char *cdc_err_name(int err)
{
    const struct err_row *r = find(err);
    return r ? r->name : "UNKNOWN";
}

static const char *const quirk_names[] = {
    "eio-lenient-base64",
    "eio-ws-text-binary",
    "sio-no-payload",
    "sio-ack-id-space",
    "sio-loose-attachments",
    "sio-misplaced-ack-id",
    "sio-ack-without-id",
    "sio-connect-error-string",
    "invalid-utf8",
    "eio-handshake-extra-key",
    "eio-handshake-missing-key",
    "eio-v3-loose-length",
    "sio-unreferenced-attachment",
    "sio-placeholder-extra",
    "sio-type-whitespace",
    "sio-v4-legacy-payload",
    "sio-placeholder-num",
    "eio-v3-empty-packet",
    "eio-v3-loose-binary-payload",
};

const char *cdc_quirk_name(uint32_t bit)
{
    for (unsigned i = 0; i < sizeof(quirk_names) / sizeof(quirk_names[0]); i++)
        if (bit == (1u << i))
            return quirk_names[i];
    return "unknown";
}
