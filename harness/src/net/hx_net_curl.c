/*
 * hx_net_curl.c - HTTP channels through libcurl's multi interface.
 *
 * Each request is one easy handle on the transport's multi handle, so a
 * long-poll GET and a POST run concurrently, as the polling transport
 * needs. Bounds: the header callback and the write callback refuse more
 * than the transport's limits (curl then fails the transfer and the reason
 * says which limit). Wire bytes reach the transcript through curl's debug
 * callback, so the log shows exactly what curl sent and received.
 */
#include "hx_net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct curl_chan {
    CURL *easy;
    struct curl_slist *hdrs;
    struct cdc_buf head;
    struct cdc_buf body;
    uint8_t *req_body;
    size_t req_len, req_off, chunk;
    const char *why;     /* a limit we enforced */
    bool head_done;      /* the blank line ending the header section arrived */
    struct cdc_buf hlog; /* received header lines, logged as one entry */
    char err[CURL_ERROR_SIZE];
};

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct nchan *c = ud;
    struct curl_chan *cc = c->impl;
    size_t len = size * n;
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
        cdc_buf_reset(&cc->head); /* a new (final or interim) response */
    cc->head_done = (len == 2 && p[0] == '\r') || (len == 1 && p[0] == '\n');
    if (cdc_buf_append(&cc->head, p, len) != CDC_OK) {
        cc->why = "response header section exceeds the limit";
        return 0;
    }
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct nchan *c = ud;
    struct curl_chan *cc = c->impl;
    if (cdc_buf_append(&cc->body, p, size * n) != CDC_OK) {
        cc->why = "response body exceeds the limit";
        return 0;
    }
    return size * n;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
    struct curl_chan *cc = ((struct nchan *)ud)->impl;
    size_t take = size * n;
    if (take > cc->chunk)
        take = cc->chunk;
    if (take > cc->req_len - cc->req_off)
        take = cc->req_len - cc->req_off;
    memcpy(buf, cc->req_body + cc->req_off, take);
    cc->req_off += take;
    return take;
}

static void flush_hlog(struct nchan *c, struct curl_chan *cc)
{
    net_log(c->n, HX_DIR_IN, "http", c->id, cc->hlog.p, cc->hlog.len);
    cdc_buf_reset(&cc->hlog);
}

static int on_debug(CURL *h, curl_infotype type, char *p, size_t len, void *ud)
{
    (void)h;
    struct nchan *c = ud;
    struct curl_chan *cc = c->impl;
    if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT) {
        net_log(c->n, HX_DIR_OUT, "http", c->id, p, len);
    } else if (type == CURLINFO_HEADER_IN) {
        /* one transcript entry per header section, not per line */
        if (cdc_buf_append(&cc->hlog, p, len) != CDC_OK)
            flush_hlog(c, cc);
        if ((len == 2 && p[0] == '\r') || (len == 1 && p[0] == '\n'))
            flush_hlog(c, cc);
    } else if (type == CURLINFO_DATA_IN) {
        if (cc->hlog.len)
            flush_hlog(c, cc);
        net_log(c->n, HX_DIR_IN, "http", c->id, p, len);
    }
    return 0;
}

static int add_header(struct curl_chan *cc, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 4;
    char *line = malloc(n);
    if (!line)
        return HX_ERR_NOMEM;
    snprintf(line, n, "%s:%s%s", name, *value ? " " : "", value);
    struct curl_slist *l = curl_slist_append(cc->hdrs, line);
    free(line);
    if (!l)
        return HX_ERR_NOMEM;
    cc->hdrs = l;
    return HX_OK;
}

static int set_headers(struct curl_chan *cc, const struct hx_http_req *req)
{
    int rc = add_header(cc, "Expect", ""); /* no 100-continue round trip */
    if (rc == HX_OK)
        rc = add_header(cc, "Content-Type", req->content_type ? req->content_type : "");
    if (rc == HX_OK && req->chunked)
        rc = add_header(cc, "Transfer-Encoding", "chunked");
    for (size_t i = 0; rc == HX_OK && i < req->n_headers; i++)
        rc = add_header(cc, req->headers[i].name, req->headers[i].value);
    return rc;
}

static int set_body(struct nchan *c, struct curl_chan *cc, const struct hx_http_req *req)
{
    CURL *e = cc->easy;
    if (req->chunked) {
        cc->req_body = malloc(req->body_len + 1);
        if (!cc->req_body)
            return HX_ERR_NOMEM;
        memcpy(cc->req_body, req->body ? req->body : (const uint8_t *)"", req->body_len);
        cc->req_len = req->body_len;
        cc->chunk = req->chunk_size ? req->chunk_size : 1024;
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(e, CURLOPT_READDATA, c);
    } else if (req->has_body || req->body_len) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body ? (const char *)req->body : "");
    }
    const char *m = req->method ? req->method : "GET";
    if (strcmp(m, "HEAD") == 0)
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else if (strcmp(m, "GET") != 0 || req->has_body || req->body_len || req->chunked)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
    return HX_OK;
}

/* rst_close: the socket resets when closed (hx_net.h). */
static int sockopt_rst(void *ud, curl_socket_t fd, curlsocktype purpose)
{
    (void)ud;
    if (purpose == CURLSOCKTYPE_IPCXN) {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    return CURL_SOCKOPT_OK;
}

static int setup(struct net *n, struct nchan *c, const struct hx_http_req *req)
{
    struct curl_chan *cc = c->impl;
    CURL *e = cc->easy;
    size_t ul = strlen(n->hostport) + strlen(req->target) + 16;
    char *url = malloc(ul);
    if (!url)
        return HX_ERR_NOMEM;
    snprintf(url, ul, "http://%s%s", n->hostport, req->target);
    curl_easy_setopt(e, CURLOPT_URL, url);
    free(url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, c);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, cc->err);
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, n->lim.fresh_conns ? 1L : 0L);
    if (n->lim.rst_close)
        curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, sockopt_rst);
    int rc = set_headers(cc, req);
    if (rc == HX_OK)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, cc->hdrs);
    return rc == HX_OK ? set_body(c, cc, req) : rc;
}

int curl_chan_start(struct net *n, const struct hx_http_req *req, unsigned *chan)
{
    if (!n->multi && !(n->multi = curl_multi_init()))
        return HX_ERR_TRANSPORT;
    struct nchan *c = net_chan_new(n, NC_CURL);
    if (!c)
        return HX_ERR_NOMEM;
    struct curl_chan *cc = calloc(1, sizeof(*cc));
    c->impl = cc;
    if (!cc || !(cc->easy = curl_easy_init())) {
        net_chan_free(n, c);
        return HX_ERR_NOMEM;
    }
    cdc_buf_init(&cc->head, n->lim.max_head, NULL);
    cdc_buf_init(&cc->body, n->lim.max_body, NULL);
    cdc_buf_init(&cc->hlog, 16384, NULL);
    int rc = setup(n, c, req);
    if (rc == HX_OK && curl_multi_add_handle(n->multi, cc->easy) != CURLM_OK)
        rc = HX_ERR_TRANSPORT;
    if (rc != HX_OK) {
        net_chan_free(n, c);
        return rc;
    }
    *chan = c->id;
    curl_drive(n);
    return HX_OK;
}

static void release(struct net *n, struct nchan *c)
{
    struct curl_chan *cc = c->impl;
    if (!cc)
        return;
    if (cc->easy) {
        curl_multi_remove_handle(n->multi, cc->easy);
        curl_easy_cleanup(cc->easy);
    }
    curl_slist_free_all(cc->hdrs);
    if (cc->hlog.len)
        flush_hlog(c, cc);
    cdc_buf_free(&cc->head);
    cdc_buf_free(&cc->body);
    cdc_buf_free(&cc->hlog);
    free(cc->req_body);
    free(cc);
    c->impl = NULL;
    c->lib_gone = true;
}

void curl_chan_abort(struct net *n, struct nchan *c)
{
    release(n, c);
}

void curl_chan_free(struct nchan *c)
{
    release(c->n, c);
}

static int map_error(CURLcode r, const struct curl_chan *cc)
{
    if (cc->why)
        return HX_ERR_TOO_LARGE;
    switch (r) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        return HX_ERR_CONNECT;
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return HX_ERR_CLOSED;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_CONTENT_ENCODING:
        return HX_ERR_PROTOCOL;
    case CURLE_OPERATION_TIMEDOUT:
        return HX_ERR_TIMEOUT;
    default:
        return HX_ERR_TRANSPORT;
    }
}

static void finish(struct net *n, struct nchan *c, CURLcode r)
{
    struct curl_chan *cc = c->impl;
    long status = 0;
    curl_easy_getinfo(cc->easy, CURLINFO_RESPONSE_CODE, &status);
    if (r == CURLE_OK && !cc->head_done) {
        /* curl accepts a response whose header section was cut off */
        net_emit_error(n, c, HX_ERR_CLOSED, (int)status,
                       "peer closed inside the header section (after %zu header bytes)",
                       cc->head.len);
    } else if (r == CURLE_OK) {
        struct hx_event ev = {.kind = HX_EV_HTTP_RESPONSE,
                              .http_status = (int)status,
                              .head = {cc->head.p, cc->head.len},
                              .data = {cc->body.p, cc->body.len}};
        net_emit(n, c, &ev);
    } else {
        net_emit_error(n, c, map_error(r, cc), (int)status,
                       "%s%s%.80s (after %zu header and %zu body bytes)",
                       cc->why ? cc->why : curl_easy_strerror(r), cc->err[0] ? ": " : "", cc->err,
                       cc->head.len, cc->body.len);
    }
    release(n, c);
}

void curl_drive(struct net *n)
{
    curl_multi_perform(n->multi, &n->curl_running);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(n->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct nchan *c = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
        if (c)
            finish(n, c, m->data.result);
    }
}
