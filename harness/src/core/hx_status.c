/*
 * hx_status.c - names of the harness status codes and verdicts.
 */
#include "harness/hx_status.h"

const char *hx_status_name(int st)
{
    switch (st) {
    case HX_OK:
        return "OK";
    case HX_ERR_NOMEM:
        return "ERR_NOMEM";
    case HX_ERR_INVALID_ARG:
        return "ERR_INVALID_ARG";
    case HX_ERR_STATE:
        return "ERR_STATE";
    case HX_ERR_TIMEOUT:
        return "ERR_TIMEOUT";
    case HX_ERR_CONNECT:
        return "ERR_CONNECT";
    case HX_ERR_TRANSPORT:
        return "ERR_TRANSPORT";
    case HX_ERR_PROTOCOL:
        return "ERR_PROTOCOL";
    case HX_ERR_HTTP_STATUS:
        return "ERR_HTTP_STATUS";
    case HX_ERR_CLOSED:
        return "ERR_CLOSED";
    case HX_ERR_TOO_LARGE:
        return "ERR_TOO_LARGE";
    case HX_ERR_REJECTED:
        return "ERR_REJECTED";
    default:
        return "UNKNOWN";
    }
}

const char *hx_verdict_name(int v)
{
    switch (v) {
    case HX_PASS:
        return "PASS";
    case HX_FAIL:
        return "FAIL";
    case HX_NON_STRICT:
        return "NON_STRICT";
    case HX_INFO:
        return "INFO";
    case HX_SKIP:
        return "SKIP";
    case HX_ERROR:
        return "ERROR";
    default:
        return "UNKNOWN";
    }
}

enum hx_verdict hx_verdict_from_status(int st)
{
    return st == HX_OK ? HX_PASS : HX_ERROR;
}
