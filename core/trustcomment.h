/*
 * trustcomment.h — Steg's claims in a signature's trusted comment, the one
 * part of a minisign signature that is signed and readable
 * (docs/signatures.md):
 *
 *   trusted comment: steg kind=bundle publisher=SE2321000016-0001
 *                    id=se.x.y version=1.2.0 expires=2027-11-23T00:00:00Z
 *   trusted comment: steg kind=index publisher=SE2321000016-0001
 *                    sequence=7 expires=2026-11-30T09:00:00Z
 *   trusted comment: steg kind=checkpoint publisher=SE2321000016-0001
 *                    sequence=42 head=<64 hex> time=2026-12-02T13:00:00Z
 *
 * A bundle signature signs manifest.xml; an index signature a channel's
 * index; a checkpoint (`steg audit checkpoint`, docs/registry.md) the head
 * of a registry's audit log: its signed data is the 64 hex digits of head,
 * and it never expires.  The grammar is written once, in trustcomment.c,
 * for formatting and parsing alike; parsing is strict, so that one set of
 * claims has one spelling.
 */
#ifndef ST_TRUSTCOMMENT_H
#define ST_TRUSTCOMMENT_H

#include <stddef.h>

#include "vocab.h"   /* st_time_format, st_time_parse, st_is_hsa_id */

/* What the trusted comment says. Strings are NUL-terminated copies. */
typedef struct st_sig_claims {
	char kind[32];          /* "bundle" | "index" | "checkpoint" */
	char publisher[72];     /* HSA-id (core/vocab.h) */
	char id[128];
	char version[64];
	long long expires;      /* unix time; 0 = none (checkpoints) */
	long long sequence;     /* channels' index; checkpoint: the row */
	char head[65];          /* checkpoint: the row's hash, lower hex */
	long long time;         /* checkpoint: when it was signed */
} st_sig_claims;

/* The trusted comment text (without "trusted comment: ") for claims.
 * Returns 0, or ST_ERR when a field does not fit the grammar; out is
 * NUL-terminated. */
int st_claims_format(char *out, size_t cap, const st_sig_claims *claims);
/* Parse a trusted comment strictly: unknown, repeated or missing fields and
 * values outside their pattern are refused, with the reason in why.  0 on
 * success. */
int st_claims_parse(st_sig_claims *out, const char *text, size_t len,
                    char *why, size_t whylen);

/* Timestamps (st_time_format, st_time_parse) and the HSA-id rule of the
 * publisher are core/vocab.h's, the same for every time and id Steg
 * reads and writes. */

#endif
