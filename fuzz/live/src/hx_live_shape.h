/*
 * hx_live_shape.h - answer-shape features of one case (private to
 * fuzz_live; see hx_live_shape.c).
 */
#ifndef FUZZ_LIVE_SRC_HX_LIVE_SHAPE_H
#define FUZZ_LIVE_SRC_HX_LIVE_SHAPE_H

#include "harness/hx_session.h"
#include "live/hx_live_run.h"

/* Mixes |v| into hash |h|. */
uint32_t shape_mix(uint32_t h, uint32_t v);
/* The feature of one item the server produced. */
uint32_t hx_live_item_feature(const struct hx_item *it);
/* Adds the features of every item queued on |s| (slot |slot|) to |obs|. */
void hx_live_shape_session(struct hx_live_obs *obs, struct hx_session *s, unsigned slot);
/* Adds the feature of action |op| (|flags|) having returned |rc|. */
void hx_live_shape_action(struct hx_live_obs *obs, int op, unsigned flags, int rc);

#endif
