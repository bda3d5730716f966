/*
 * hx_match.c - item filters and structural JSON comparison.
 *
 * JSON values arrive as spans the codec validated; the comparison walks
 * both with cdc_json iterators (no parse tree), unescapes strings into a
 * scratch buffer to compare them, and compares numbers as doubles. Depth is
 * bounded so hostile nesting cannot exhaust the stack.
 */
#include "harness/hx_match.h"
#include "harness/hx_session.h"

#include "codec/cdc_json.h"

#include <string.h>

#define EQ_MAX_DEPTH 64

bool hx_match_item(const struct hx_match *m, const struct hx_item *it)
{
    if (!m)
        return true;
    if (m->kinds && !(m->kinds & HX_KIND(it->kind)))
        return false;
    if (m->chan && it->chan != m->chan)
        return false;
    if (m->eio_types && (!it->eio_ok || !(m->eio_types & HX_TYPE(it->eio.type))))
        return false;
    if (!m->sio_types && !m->nsp && !m->event && !m->has_id)
        return true;
    if (it->kind != HX_ITEM_SIO)
        return false;
    if (m->sio_types && !(m->sio_types & HX_TYPE(it->sio.type)))
        return false;
    if (m->nsp &&
        (it->sio.nsp.len != strlen(m->nsp) || memcmp(it->sio.nsp.p, m->nsp, it->sio.nsp.len) != 0))
        return false;
    if (m->has_id && (!it->sio.has_id || it->sio.id != m->id))
        return false;
    struct cdc_span name;
    if (m->event && (!hx_json_event_name(it->sio.data, &name) ||
                     !cdc_json_string_eq(name, m->event, strlen(m->event))))
        return false;
    return true;
}

struct hx_match hx_match_eio(int eio_type)
{
    return (struct hx_match){.kinds = HX_KIND(HX_ITEM_EIO), .eio_types = HX_TYPE(eio_type)};
}

struct hx_match hx_match_sio(int sio_type, const char *nsp)
{
    return (struct hx_match){.sio_types = HX_TYPE(sio_type), .nsp = nsp ? nsp : "/"};
}

struct hx_match hx_match_event(const char *nsp, const char *event)
{
    return (struct hx_match){.sio_types = HX_TYPE(SIO_EVENT) | HX_TYPE(SIO_BINARY_EVENT),
                             .nsp = nsp ? nsp : "/",
                             .event = event};
}

struct hx_match hx_match_ack(const char *nsp, uint64_t id)
{
    return (struct hx_match){.sio_types = HX_TYPE(SIO_ACK) | HX_TYPE(SIO_BINARY_ACK),
                             .nsp = nsp ? nsp : "/",
                             .has_id = true,
                             .id = id};
}

struct hx_match hx_match_kind(int item_kind)
{
    return (struct hx_match){.kinds = HX_KIND(item_kind)};
}

struct hx_match hx_match_chan(unsigned chan)
{
    return (struct hx_match){.chan = chan};
}

int hx_json_event_name(struct cdc_span data, struct cdc_span *name)
{
    struct cdc_json_iter it;
    struct cdc_span v;
    if (data.len == 0 || cdc_json_iter_init(&it, cdc_json_trim(data)) != CDC_OK || it.object)
        return 0;
    if (cdc_json_iter_next(&it, NULL, &v) != 1 || cdc_json_type_of(v) != CDC_JSON_STRING)
        return 0;
    *name = v;
    return 1;
}

int hx_json_args(struct cdc_span data, struct cdc_buf *out)
{
    struct cdc_json_iter it;
    struct cdc_span v;
    if (cdc_json_iter_init(&it, cdc_json_trim(data)) != CDC_OK || it.object)
        return CDC_ERR_INVALID_ARG;
    int rc = cdc_buf_append_byte(out, '[');
    for (int i = 0, r; rc == CDC_OK && (r = cdc_json_iter_next(&it, NULL, &v)) == 1; i++) {
        if (i == 0)
            continue;
        if (i > 1)
            rc = cdc_buf_append_byte(out, ',');
        if (rc == CDC_OK)
            rc = cdc_buf_append(out, v.p, v.len);
    }
    return rc == CDC_OK ? cdc_buf_append_byte(out, ']') : rc;
}

static bool eq_at(struct cdc_span a, struct cdc_span b, unsigned depth);

static bool str_eq(struct cdc_span a, struct cdc_span b)
{
    struct cdc_buf ua;
    cdc_buf_init(&ua, a.len + 1, NULL);
    bool eq = cdc_json_string_unescape(a, &ua) == CDC_OK &&
              cdc_json_string_eq(b, ua.len ? (const char *)ua.p : "", ua.len);
    cdc_buf_free(&ua);
    return eq;
}

static bool arr_eq(struct cdc_span a, struct cdc_span b, unsigned depth)
{
    struct cdc_json_iter ia, ib;
    struct cdc_span va, vb;
    if (cdc_json_iter_init(&ia, a) != CDC_OK || cdc_json_iter_init(&ib, b) != CDC_OK)
        return false;
    for (;;) {
        int ra = cdc_json_iter_next(&ia, NULL, &va);
        int rb = cdc_json_iter_next(&ib, NULL, &vb);
        if (ra != rb || ra < 0)
            return false;
        if (ra == 0)
            return true;
        if (!eq_at(va, vb, depth + 1))
            return false;
    }
}

static bool obj_eq(struct cdc_span a, struct cdc_span b, unsigned depth)
{
    struct cdc_json_iter ia;
    struct cdc_span k, va, vb;
    if (cdc_json_count(a) != cdc_json_count(b) || cdc_json_iter_init(&ia, a) != CDC_OK)
        return false;
    int r;
    while ((r = cdc_json_iter_next(&ia, &k, &va)) == 1) {
        struct cdc_buf key;
        cdc_buf_init(&key, k.len + 1, NULL);
        bool ok = cdc_json_string_unescape(k, &key) == CDC_OK &&
                  cdc_buf_append_byte(&key, 0) == CDC_OK &&
                  strlen((const char *)key.p) == key.len - 1 &&
                  cdc_json_object_get(b, (const char *)key.p, &vb) == 1 && eq_at(va, vb, depth + 1);
        cdc_buf_free(&key);
        if (!ok)
            return false;
    }
    return r == 0;
}

static bool eq_at(struct cdc_span a, struct cdc_span b, unsigned depth)
{
    a = cdc_json_trim(a);
    b = cdc_json_trim(b);
    enum cdc_json_type ta = cdc_json_type_of(a), tb = cdc_json_type_of(b);
    if (ta != tb || ta == CDC_JSON_INVALID || depth > EQ_MAX_DEPTH)
        return false;
    switch (ta) {
    case CDC_JSON_NUMBER: {
        double x, y;
        return cdc_json_number_double(a, &x) == CDC_OK && cdc_json_number_double(b, &y) == CDC_OK &&
               x == y;
    }
    case CDC_JSON_STRING:
        return str_eq(a, b);
    case CDC_JSON_ARRAY:
        return arr_eq(a, b, depth);
    case CDC_JSON_OBJECT:
        return obj_eq(a, b, depth);
    default:
        return true; /* null, true, false: the type says it all */
    }
}

bool hx_json_eq(struct cdc_span a, struct cdc_span b)
{
    return eq_at(a, b, 0);
}
