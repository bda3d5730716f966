/*
 * catalogue.c - the one list of case groups, in the order they run and are
 * listed. A new area gets its own file and one line here; nothing else
 * registers cases.
 */
#include "cases/ck_run.h"

extern const struct ck_group ck_group_eio4_handshake;
extern const struct ck_group ck_group_cve;
extern const struct ck_group ck_group_sio5_connect;
extern const struct ck_group ck_group_sio5_namespace;
extern const struct ck_group ck_group_sio5_disconnect;
extern const struct ck_group ck_group_sio5_recovery;

/* One group per line keeps merges simple. */
/* clang-format off */
const struct ck_group *const ck_groups[] = {
    &ck_group_eio4_handshake,
    &ck_group_sio5_connect,
    &ck_group_sio5_namespace,
    &ck_group_sio5_disconnect,
    &ck_group_sio5_recovery,
    &ck_group_cve,
};
/* clang-format on */

const size_t ck_ngroups = sizeof(ck_groups) / sizeof(ck_groups[0]);
