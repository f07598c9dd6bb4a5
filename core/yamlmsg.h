/*
 * yamlmsg.h — libyaml's own messages in the user's language.
 *
 * A yaml-syntax finding begins with what libyaml says ("mapping values are
 * not allowed in this context", "did not find expected key while parsing
 * a block mapping"): a problem and, often, a context.  These are libyaml's
 * strings, not ours; the catalogue holds the ones libyaml 0.2 writes
 * (the table in yamlmsg.c, extracted by scripts/po-extract.sh).  Pure: no
 * state, no libyaml needed.
 */
#ifndef ST_YAMLMSG_H
#define ST_YAMLMSG_H

/* s (a problem or a context of libyaml) translated when it is one of the
 * known messages, else s itself; NULL gives NULL. */
const char *st_yaml_msg(const char *s);

#endif
