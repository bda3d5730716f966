/*
 * catalogue.c - the one list of case groups, in the order they run and are
 * listed. A new area gets its own file and one line here; nothing else
 * registers cases.
 */
#include "cases/ck_run.h"

extern const struct ck_group ck_group_eio4_handshake;
extern const struct ck_group ck_group_eio4_polling;
extern const struct ck_group ck_group_eio4_http;
extern const struct ck_group ck_group_eio4_close;
extern const struct ck_group ck_group_eio4_ws;
extern const struct ck_group ck_group_eio4_heartbeat;
extern const struct ck_group ck_group_eio4_upgrade;
extern const struct ck_group ck_group_eio3;
extern const struct ck_group ck_group_sio5_connect;
extern const struct ck_group ck_group_sio5_namespace;
extern const struct ck_group ck_group_sio5_disconnect;
extern const struct ck_group ck_group_sio5_event;
extern const struct ck_group ck_group_sio5_ack;
extern const struct ck_group ck_group_sio5_binary;
extern const struct ck_group ck_group_sio5_invalid;
extern const struct ck_group ck_group_sio5_rooms;
extern const struct ck_group ck_group_sio5_recovery;
extern const struct ck_group ck_group_sio4;
extern const struct ck_group ck_group_cve;

const struct ck_group *const ck_groups[] = {
    &ck_group_eio4_handshake,
    &ck_group_eio4_polling,
    &ck_group_eio4_http,
    &ck_group_eio4_close,
    &ck_group_eio4_ws,
    &ck_group_eio4_heartbeat,
    &ck_group_eio4_upgrade,
    &ck_group_eio3,
    &ck_group_sio5_connect,
    &ck_group_sio5_namespace,
    &ck_group_sio5_disconnect,
    &ck_group_sio5_event,
    &ck_group_sio5_ack,
    &ck_group_sio5_binary,
    &ck_group_sio5_invalid,
    &ck_group_sio5_rooms,
    &ck_group_sio5_recovery,
    &ck_group_sio4,
    &ck_group_cve,
};

const size_t ck_ngroups = sizeof(ck_groups) / sizeof(ck_groups[0]);
