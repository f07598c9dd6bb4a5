/*
 * actions.h — every change to the registry's programs and users, once:
 * the command line (cmd_programs.c, cmd_admin.c) and the web server
 * (runtime/serve/) both call these, so that who may do what, the
 * four-eyes rule and the audit rows are written in one place.
 *
 * Each action takes the open registry, the acting user's HSA-id (--as on
 * the command line, the client certificate's on the web) and its
 * arguments, and follows registry.h: BEGIN IMMEDIATE, authorise, change,
 * audit, COMMIT.  It prints nothing.  It returns
 *
 *   0        done, or nothing to do (res->changed says which; the audit
 *            log gets a row only for a change)
 *   ST_ERR   refused: nothing changed, the refusal has its own audit row,
 *            the reason (lower case, saying what to do) in rt_reg_errmsg()
 *   ST_EIO   the database or a file failed: rolled back, an "error" row
 *            written when the database allows, the reason in
 *            rt_reg_errmsg()
 *
 * and fills *res with what the caller needs to say what happened.
 * Ownership: res->units is malloc'd by the action; rt_act_release frees
 * it.  Call rt_act_init before and rt_act_release after every action.
 */
#ifndef RT_ACTIONS_H
#define RT_ACTIONS_H

#include <stddef.h>
#include "registry.h"
#include "import.h"
#include "keyfile.h"

typedef struct rt_act_result {
	int changed;                   /* 1 when the registry changed */
	char object[300];              /* "ID@VERSION" (a user's HSA-id;
	                                  import: the path until known) */
	/* When nothing changed because it was already so: when and by whom
	 * (approve, retire); "" otherwise. */
	char at[32], by[RT_HSA_MAX + 1];
	/* activate: the version it replaced at the unit ("" when none) */
	char replaced[64];
	/* publish, unpublish: the units changed (changed = 1), or the one
	 * unit or none ("every unit") that was already so (changed = 0) */
	char (*units)[RT_HSA_MAX + 1];
	size_t nunits;
	/* When refused (ST_ERR), what kind of no it is, for a web answer's
	 * status: RT_ACT_FORBIDDEN (the user may not), RT_ACT_NOT_FOUND (no
	 * such version, unit or user), RT_ACT_CONFLICT (not in this state,
	 * e.g. not approved, or the bundle does not check). */
	int refusal;
	/* user role: the role and unit the user had (filled once the user is
	 * known) */
	char old_role[16], old_unit[RT_HSA_MAX + 1];
} rt_act_result;

enum { RT_ACT_CONFLICT = 0, RT_ACT_FORBIDDEN = 1, RT_ACT_NOT_FOUND = 2 };

void rt_act_init(rt_act_result *res);
void rt_act_release(rt_act_result *res);

/* Split "ID@VERSION" (want_version 0: "ID" alone is fine, version "").
 * 0, or ST_ERR with the reason in why (what to write instead). */
int rt_ref_split(const char *ref, char *id, size_t idn, char *version,
                 size_t vn, int want_version, char *why, size_t whycap);

/* Load id@version into *v: 0; ST_ERR when there is none, the message
 * saying whether the program is unknown or which versions it has; ST_EIO. */
int rt_version_load(rt_reg *r, rt_version *v, const char *id,
                    const char *version);

/* A region-wide publisher signs id@version off (four-eyes: not the one
 * who imported it, when the policy is on).  Already approved: 0,
 * changed 0, res->at and res->by the approval. */
int rt_act_approve(rt_reg *r, const char *as, const char *id,
                   const char *version, rt_act_result *res);
/* A region-wide admin or publisher retires id@version.  Already retired:
 * changed 0, at and by the retirement. */
int rt_act_retire(rt_reg *r, const char *as, const char *id,
                  const char *version, rt_act_result *res);
/* Publish (on 1) or withdraw (on 0) an approved id@version at units[0..n)
 * (care units; an admin or publisher of each, or region-wide), or, when
 * units is NULL, at every unit of the region where it is not yet (or,
 * withdrawing, still) published (region-wide only).  One transaction, one
 * audit row per unit changed; res->units the units changed.  Withdrawing
 * from a unit that runs the version is refused. */
int rt_act_publish(rt_reg *r, const char *as, const char *id,
                   const char *version, const char *const *units, size_t n,
                   int on, rt_act_result *res);
/* Activate (on 1) id@version at unit, replacing the version running
 * there (res->replaced), or deactivate it (on 0): a clinician or admin of
 * the unit, or a region-wide admin; the version approved, published to
 * the unit and not retired. */
int rt_act_activate(rt_reg *r, const char *as, const char *id,
                    const char *version, const char *unit, int on,
                    rt_act_result *res);
/* Import the bundle at path (display names it in messages, NULL: path)
 * as an admin or publisher: every check of rt_import_prepare, then the
 * rows and the audit row.  *im (rt_import_init'd by the caller, released
 * by the caller) holds what was imported, and on a refusal the findings
 * (im->findings) that say why.  Same bytes again: changed 0. */
int rt_act_import(rt_reg *r, const char *as, const char *path,
                  const char *display, int allow_unsigned, rt_import *im,
                  rt_act_result *res);

/* Users.  The arguments' own rule (an HSA-id, a known role; a name
 * follows core's text rule, st_text_valid): 0, or ST_ERR with the reason
 * in why. */
int rt_user_args_check(const char *hsa, const char *role, char *why,
                       size_t whycap);
/* An admin adds user hsa with name and role at unit (NULL: region-wide;
 * a unit's admin only at their unit, a clinician only at a care unit). */
int rt_act_user_add(rt_reg *r, const char *as, const char *hsa,
                    const char *name, const char *role, const char *unit,
                    rt_act_result *res);
/* An admin (of the user's unit, or region-wide) deactivates user hsa;
 * never the last active region-wide admin.  Already: changed 0. */
int rt_act_user_deactivate(rt_reg *r, const char *as, const char *hsa,
                           rt_act_result *res);

/* actions_admin.c.  A region-wide admin adds care unit hsa named name
 * (the name follows st_text_valid; the caller checks it and the HSA-id).
 * An HSA-id that is already a unit or the region: refused (conflict). */
int rt_act_unit_add(rt_reg *r, const char *as, const char *hsa,
                    const char *name, rt_act_result *res);
/* A region-wide admin trusts pk for region (comment: "" or NULL for
 * none); res->object the key id.  A key already trusted, for any region:
 * refused (conflict). */
int rt_act_trust_add(rt_reg *r, const char *as, const char *region,
                     const st_pubkey *pk, const char *comment,
                     rt_act_result *res);
/* A region-wide admin ends the trust in region's active key keyid (16
 * upper-case hex digits, st_keyid_hex); the row stays.  No such active
 * key of region: refused (not found). */
int rt_act_trust_remove(rt_reg *r, const char *as, const char *region,
                        const char *keyid, rt_act_result *res);
/* An admin changes user hsa's role to role and, when unit is not NULL,
 * their unit (a care unit, or the region's own HSA-id for region-wide;
 * NULL keeps the unit).  The actor must be an admin of both the user's
 * unit and the new one, or region-wide; a clinician works at a care
 * unit; a deactivated user is not changed; never the last active
 * region-wide admin.  res->old_role and old_unit say what it was,
 * res->units[0] the unit now.  The same role and unit: changed 0. */
int rt_act_user_role(rt_reg *r, const char *as, const char *hsa,
                     const char *role, const char *unit,
                     rt_act_result *res);

/* The rule of both user deactivate and user role, inside their open
 * transaction: the region keeps an active region-wide admin.  ST_OK when
 * another one is active besides user hsa; else the change is refused
 * (rolled back and audited as action on hsa at unit, by who), or aborted
 * when the users cannot be read, and that code is returned. */
int rt_act_keep_last_admin(rt_reg *r, const rt_actor *who,
                           const char *unit, const char *action,
                           const char *hsa);

#endif
