/*
 * sio_priv.h - private glue between sio_packet.c and sio_binary.c.
 *
 * Shared: the attachment cap, the placeholder walk that checks a binary
 * packet's JSON against its attachment count, and the diag helper.
 * Nothing here allocates.
 */
#ifndef CODEC_SIO_PRIV_H
#define CODEC_SIO_PRIV_H

#include "codec/cdc.h"
#include "codec/sio.h"

/* Largest attachment count the codec handles per packet, whatever the
 * limits say: struct sio_attachments has this many slots and the
 * placeholder walk tracks references in a 64-bit mask. */
#define SIO_ATTACHMENTS_CAP 64u

/* Effective attachment limit of |o|: lim.max_attachments capped at
 * SIO_ATTACHMENTS_CAP. */
unsigned sio_max_attachments(const struct cdc_opts *o);

/* Checks every placeholder in |data| (validated JSON, may be empty) of a
 * binary packet with |n_att| attachments: index in range, no extra keys
 * (compat: quirk), and, when |require_all|, every attachment referenced
 * (compat: quirk). Adds accepted quirks to |*quirks|. |base_off| is added
 * to diag offsets. Returns CDC_OK or CDC_ERR_SIO_PLACEHOLDER. */
int sio_placeholders_check(const struct cdc_opts *o, struct cdc_span data, unsigned n_att,
                           bool require_all, uint32_t *quirks, size_t base_off,
                           struct cdc_diag *diag);

/* Fills |diag| (may be NULL) and returns |err|. */
int sio_fail(struct cdc_diag *diag, size_t off, int err, const char *why);

#endif
