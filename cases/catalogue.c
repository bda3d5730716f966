/*
 * catalogue.c - the one list of case groups, in the order they run and are
 * listed. A new area gets its own file and one line here; nothing else
 * registers cases.
 */
#include "cases/ck_run.h"

extern const struct ck_group ck_group_eio4_handshake;
extern const struct ck_group ck_group_eio4_polling;
extern const struct ck_group ck_group_eio4_close;
extern const struct ck_group ck_group_eio4_http;
extern const struct ck_group ck_group_cve;

const struct ck_group *const ck_groups[] = {
    &ck_group_eio4_handshake, &ck_group_eio4_polling, &ck_group_eio4_close,
    &ck_group_eio4_http,      &ck_group_cve,
};

const size_t ck_ngroups = sizeof(ck_groups) / sizeof(ck_groups[0]);
