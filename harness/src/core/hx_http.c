/*
 * hx_http.c - HTTP/1.1 request serialisation and the incremental response
 * parser (see hx_http.h for the contract).
 *
 * The header section is collected byte by byte into |head| (bounded by its
 * cdc_buf max) until an empty line; LF-only line ends are tolerated as
 * curl does. Then the status line and the framing headers are checked and
 * the body state is chosen. Every error is sticky and names its rule in
 * |why|; lengths are checked against the limit before bytes are stored.
 */
#include "harness/hx_http.h"
#include "harness/hx_status.h"

#include <stdio.h>
#include <string.h>

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool hx_span_ieq(struct cdc_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[i]) != lower((unsigned char)lit[i]))
            return false;
    return true;
}

static struct cdc_span trim(struct cdc_span s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.len--;
    }
    while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' || s.p[s.len - 1] == '\r'))
        s.len--;
    return s;
}

bool hx_http_list_has(struct cdc_span s, const char *tok)
{
    size_t i = 0;
    while (i <= s.len) {
        size_t j = i;
        while (j < s.len && s.p[j] != ',')
            j++;
        if (hx_span_ieq(trim((struct cdc_span){s.p + i, j - i}), tok))
            return true;
        i = j + 1;
    }
    return false;
}

/* Splits |head| into lines; calls back for each header line after the
 * status line. Returns the first non-zero callback value. */
static size_t next_line(struct cdc_span head, size_t pos, struct cdc_span *line)
{
    size_t e = pos;
    while (e < head.len && head.p[e] != '\n')
        e++;
    line->p = head.p + pos;
    line->len = e - pos;
    if (line->len && line->p[line->len - 1] == '\r')
        line->len--;
    return e < head.len ? e + 1 : e;
}

int hx_http_header_get(struct cdc_span head, const char *name, size_t nth, struct cdc_span *val)
{
    struct cdc_span line;
    size_t pos = next_line(head, 0, &line); /* status line */
    while (pos < head.len) {
        pos = next_line(head, pos, &line);
        const uint8_t *colon = line.len ? memchr(line.p, ':', line.len) : NULL;
        if (!colon)
            continue;
        struct cdc_span nm = {line.p, (size_t)(colon - line.p)};
        if (!hx_span_ieq(nm, name))
            continue;
        if (nth-- == 0) {
            *val = trim((struct cdc_span){colon + 1, line.len - nm.len - 1});
            return 1;
        }
    }
    return 0;
}

static int put_hdr(struct cdc_buf *out, const char *name, const char *value)
{
    int rc = cdc_buf_append_str(out, name);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, ": ");
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, value);
    return rc == CDC_OK ? cdc_buf_append_str(out, "\r\n") : rc;
}

static bool user_has(const struct hx_http_req *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (hx_span_ieq((struct cdc_span){(const uint8_t *)req->headers[i].name,
                                          strlen(req->headers[i].name)},
                        name))
            return true;
    return false;
}

static int put_chunked(const struct hx_http_req *req, struct cdc_buf *out)
{
    size_t step = req->chunk_size ? req->chunk_size : 1024;
    int rc = CDC_OK;
    for (size_t off = 0; rc == CDC_OK && off < req->body_len; off += step) {
        size_t n = req->body_len - off < step ? req->body_len - off : step;
        char sz[24];
        snprintf(sz, sizeof(sz), "%zx\r\n", n);
        rc = cdc_buf_append_str(out, sz);
        if (rc == CDC_OK)
            rc = cdc_buf_append(out, req->body + off, n);
        if (rc == CDC_OK)
            rc = cdc_buf_append_str(out, "\r\n");
    }
    return rc == CDC_OK ? cdc_buf_append_str(out, "0\r\n\r\n") : rc;
}

static int put_framing(const struct hx_http_req *req, struct cdc_buf *out)
{
    int rc = CDC_OK;
    bool user_frames = user_has(req, "content-length") || user_has(req, "transfer-encoding");
    if (req->content_type)
        rc = put_hdr(out, "Content-Type", req->content_type);
    if (rc == CDC_OK && req->chunked && !user_frames)
        rc = put_hdr(out, "Transfer-Encoding", "chunked");
    if (rc == CDC_OK && !req->chunked && !user_frames && (req->has_body || req->body_len)) {
        char n[24];
        snprintf(n, sizeof(n), "%zu", req->body_len);
        rc = put_hdr(out, "Content-Length", n);
    }
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, "\r\n");
    if (rc != CDC_OK)
        return rc;
    if (req->chunked)
        return put_chunked(req, out);
    return req->body_len ? cdc_buf_append(out, req->body, req->body_len) : CDC_OK;
}

int hx_http_request_build(const struct hx_http_req *req, const char *host, struct cdc_buf *out)
{
    if (req->raw_bytes)
        return cdc_buf_append(out, req->raw_bytes, req->raw_len);
    if (!req->target)
        return CDC_ERR_INVALID_ARG;
    size_t before = out->len;
    int rc = cdc_buf_append_str(out, req->method ? req->method : "GET");
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(out, ' ');
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, req->target);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, " HTTP/1.1\r\n");
    if (rc == CDC_OK && host && !user_has(req, "host"))
        rc = put_hdr(out, "Host", host);
    for (size_t i = 0; rc == CDC_OK && i < req->n_headers; i++)
        rc = put_hdr(out, req->headers[i].name, req->headers[i].value);
    if (rc == CDC_OK)
        rc = put_framing(req, out);
    if (rc != CDC_OK)
        out->len = before;
    return rc;
}

/* ---- response parser ---- */

void hx_http_parser_init(struct hx_http_parser *p, size_t max_head, size_t max_body,
                         bool head_request)
{
    memset(p, 0, sizeof(*p));
    p->head_request = head_request;
    cdc_buf_init(&p->head, max_head, NULL);
    cdc_buf_init(&p->body, max_body, NULL);
}

void hx_http_parser_free(struct hx_http_parser *p)
{
    cdc_buf_free(&p->head);
    cdc_buf_free(&p->body);
}

bool hx_http_parser_done(const struct hx_http_parser *p)
{
    return p->state == HX_HTTP_DONE;
}

static ptrdiff_t fail(struct hx_http_parser *p, int err, const char *why)
{
    p->state = HX_HTTP_ERROR;
    p->err = err;
    p->why = why;
    return err;
}

static int parse_status(struct hx_http_parser *p)
{
    const uint8_t *s = p->head.p;
    size_t n = p->head.len;
    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ')
        return -1;
    int st = 0;
    for (int i = 9; i < 12; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        st = st * 10 + (s[i] - '0');
    }
    if (n > 12 && s[12] != ' ' && s[12] != '\r' && s[12] != '\n')
        return -1;
    p->status = st;
    return 0;
}

static int check_lines(const struct cdc_span head)
{
    struct cdc_span line;
    size_t pos = next_line(head, 0, &line);
    while (pos < head.len) {
        pos = next_line(head, pos, &line);
        if (line.len == 0)
            break;
        if (line.p[0] == ' ' || line.p[0] == '\t')
            return -1; /* obsolete line folding */
        const uint8_t *colon = memchr(line.p, ':', line.len);
        if (!colon || colon == line.p || colon[-1] == ' ' || colon[-1] == '\t')
            return -1;
    }
    return 0;
}

static int parse_length(struct cdc_span v, uint64_t *out)
{
    uint64_t n = 0;
    if (v.len == 0 || v.len > 18)
        return -1;
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return -1;
        n = n * 10 + (uint64_t)(v.p[i] - '0');
    }
    *out = n;
    return 0;
}

static ptrdiff_t choose_body(struct hx_http_parser *p)
{
    struct cdc_span head = {p->head.p, p->head.len}, v;
    if (p->head_request || p->status == 101 || p->status == 204 || p->status == 304) {
        p->state = HX_HTTP_DONE;
        return 0;
    }
    if (hx_http_header_get(head, "transfer-encoding", 0, &v) && hx_http_list_has(v, "chunked")) {
        p->state = HX_HTTP_CHUNK_SIZE;
        return 0;
    }
    if (!hx_http_header_get(head, "content-length", 0, &v)) {
        p->state = HX_HTTP_BODY_EOF;
        return 0;
    }
    uint64_t len, other;
    if (parse_length(v, &len) != 0)
        return fail(p, HX_ERR_PROTOCOL, "invalid Content-Length");
    if (hx_http_header_get(head, "content-length", 1, &v) &&
        (parse_length(v, &other) != 0 || other != len))
        return fail(p, HX_ERR_PROTOCOL, "conflicting Content-Length headers");
    if (len > p->body.max)
        return fail(p, HX_ERR_TOO_LARGE, "Content-Length exceeds the body limit");
    p->remaining = len;
    p->state = len ? HX_HTTP_BODY_LENGTH : HX_HTTP_DONE;
    return 0;
}

static ptrdiff_t head_complete(struct hx_http_parser *p)
{
    if (parse_status(p) != 0)
        return fail(p, HX_ERR_PROTOCOL, "status line is not HTTP/1.x NNN");
    if (check_lines((struct cdc_span){p->head.p, p->head.len}) != 0)
        return fail(p, HX_ERR_PROTOCOL, "malformed header line");
    if (p->status >= 100 && p->status < 200 && p->status != 101) {
        cdc_buf_reset(&p->head); /* interim response: the real one follows */
        p->line_len = 0;
        return 0;
    }
    return choose_body(p);
}

/* Consumes header bytes; returns bytes used or an error. */
static ptrdiff_t feed_head(struct hx_http_parser *p, const uint8_t *in, size_t n)
{
    size_t i = 0;
    while (i < n && p->state == HX_HTTP_HEAD) {
        uint8_t c = in[i++];
        if (p->head.len == 0 && p->line_len == 0 && (c == '\r' || c == '\n'))
            continue; /* tolerate blank lines before the status line */
        if (cdc_buf_append_byte(&p->head, c) != CDC_OK)
            return fail(p, HX_ERR_TOO_LARGE, "header section exceeds the limit");
        if (p->head.len <= 5 && c != (uint8_t) "HTTP/"[p->head.len - 1])
            return fail(p, HX_ERR_PROTOCOL, "response does not start with HTTP/");
        if (c != '\n') {
            p->line_len++;
            continue;
        }
        bool empty = p->line_len == 0 || (p->line_len == 1 && p->head.p[p->head.len - 2] == '\r');
        p->line_len = 0;
        if (empty && p->head.len > 2) {
            ptrdiff_t r = head_complete(p);
            if (r < 0)
                return r;
        }
    }
    return (ptrdiff_t)i;
}

static ptrdiff_t feed_data(struct hx_http_parser *p, const uint8_t *in, size_t n)
{
    size_t take = (uint64_t)n < p->remaining ? n : (size_t)p->remaining;
    if (cdc_buf_append(&p->body, in, take) != CDC_OK)
        return fail(p, HX_ERR_TOO_LARGE, "body exceeds the limit");
    p->remaining -= take;
    if (p->remaining == 0)
        p->state = p->state == HX_HTTP_CHUNK_DATA ? HX_HTTP_CHUNK_CRLF : HX_HTTP_DONE;
    return (ptrdiff_t)take;
}

static ptrdiff_t chunk_size_line(struct hx_http_parser *p)
{
    uint64_t v = 0;
    size_t i = 0, digits = 0;
    for (; i < p->line_len; i++) {
        char c = p->line[i];
        int d = c >= '0' && c <= '9'                 ? c - '0'
                : lower(c) >= 'a' && lower(c) <= 'f' ? lower(c) - 87
                                                     : -1;
        if (d < 0)
            break;
        if (++digits > 15)
            return fail(p, HX_ERR_PROTOCOL, "chunk size too long");
        v = v * 16 + (uint64_t)d;
    }
    if (digits == 0 || (i < p->line_len && p->line[i] != ';' && p->line[i] != ' '))
        return fail(p, HX_ERR_PROTOCOL, "invalid chunk size line");
    if (v > p->body.max - p->body.len)
        return fail(p, HX_ERR_TOO_LARGE, "chunked body exceeds the body limit");
    p->remaining = v;
    p->state = v ? HX_HTTP_CHUNK_DATA : HX_HTTP_TRAILER;
    return 0;
}

/* Collects one CRLF-terminated line into |line|; returns bytes used, and
 * sets *complete when the line ended. */
static ptrdiff_t collect_line(struct hx_http_parser *p, const uint8_t *in, size_t n, bool *complete)
{
    size_t i = 0;
    *complete = false;
    while (i < n) {
        uint8_t c = in[i++];
        if (c == '\n') {
            *complete = true;
            break;
        }
        if (c == '\r')
            continue;
        if (p->line_len + 1 >= sizeof(p->line))
            return fail(p, HX_ERR_PROTOCOL, "chunk framing line too long");
        p->line[p->line_len++] = (char)c;
    }
    return (ptrdiff_t)i;
}

static ptrdiff_t feed_chunk_line(struct hx_http_parser *p, const uint8_t *in, size_t n)
{
    bool complete;
    ptrdiff_t used = collect_line(p, in, n, &complete);
    if (used < 0 || !complete)
        return used;
    ptrdiff_t r = 0;
    if (p->state == HX_HTTP_CHUNK_SIZE) {
        r = chunk_size_line(p);
    } else if (p->state == HX_HTTP_CHUNK_CRLF) {
        if (p->line_len != 0)
            r = fail(p, HX_ERR_PROTOCOL, "chunk data not followed by CRLF");
        else
            p->state = HX_HTTP_CHUNK_SIZE;
    } else if (p->line_len == 0) {
        p->state = HX_HTTP_DONE; /* end of trailers */
    }
    p->line_len = 0;
    return r < 0 ? r : used;
}

ptrdiff_t hx_http_parser_feed(struct hx_http_parser *p, const uint8_t *in, size_t n)
{
    size_t used = 0;
    while (used < n) {
        ptrdiff_t r;
        switch (p->state) {
        case HX_HTTP_HEAD:
            r = feed_head(p, in + used, n - used);
            break;
        case HX_HTTP_BODY_LENGTH:
        case HX_HTTP_CHUNK_DATA:
            r = feed_data(p, in + used, n - used);
            break;
        case HX_HTTP_CHUNK_SIZE:
        case HX_HTTP_CHUNK_CRLF:
        case HX_HTTP_TRAILER:
            r = feed_chunk_line(p, in + used, n - used);
            break;
        case HX_HTTP_BODY_EOF:
            r = cdc_buf_append(&p->body, in + used, n - used) == CDC_OK
                    ? (ptrdiff_t)(n - used)
                    : fail(p, HX_ERR_TOO_LARGE, "body exceeds the limit");
            break;
        case HX_HTTP_DONE:
            return (ptrdiff_t)used;
        default:
            return p->err;
        }
        if (r < 0)
            return r;
        used += (size_t)r;
        p->total_in += (size_t)r;
    }
    return (ptrdiff_t)used;
}

int hx_http_parser_eof(struct hx_http_parser *p)
{
    switch (p->state) {
    case HX_HTTP_DONE:
        return HX_OK;
    case HX_HTTP_BODY_EOF:
        p->state = HX_HTTP_DONE;
        return HX_OK;
    case HX_HTTP_ERROR:
        return p->err;
    case HX_HTTP_HEAD:
        p->why = p->total_in ? "peer closed inside the header section"
                             : "peer closed without sending a response";
        break;
    case HX_HTTP_BODY_LENGTH:
        p->why = "peer closed before Content-Length bytes arrived";
        break;
    default:
        p->why = "peer closed inside a chunked body";
        break;
    }
    p->err = HX_ERR_CLOSED;
    p->state = HX_HTTP_ERROR;
    return HX_ERR_CLOSED;
}
