/*
 * timeline.c — playing a treatment forward (timeline.h).
 *
 * A small simulation over the program's modules, forms and messages,
 * day by day.  The state is what core/expr.h's evaluator asks through
 * st_eval_env: the day, and per module the day it was completed and
 * reviewed; the rules themselves are never looked at here, only
 * evaluated, so that what the panel shows is what the checker reasoned
 * about and what a runtime will do.
 */
#include "timeline.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct score_val {
	const st_form *form;
	size_t index;
	double value;
} score_val;

typedef struct sim {
	sr_tl_state st;           /* first: sr_timeline_module's ctx */
	const st_program *p;
	long end_day;             /* -1 while unknown (no duration) */
	int ended;
	long *sent;               /* per message: day sent, or -1 */
	score_val *scores;
	size_t nscores, cscores;
	st_arena *a;
	st_buf *ev;               /* where events go */
	int nev;
} sim;

st_value sr_timeline_module(void *ctx, int fn, size_t i)
{
	const sr_tl_state *st = ctx;
	st_value v = { ST_TYPE_BOOL, 0, 0, NULL, 0 };
	if (fn == ST_FN_DAYS_SINCE) {
		v.type = ST_TYPE_NUMBER;
		if (i == ST_MODULE_START)
			v.num = (double)st->day;
		else if (i < st->nmodules && st->completed[i] >= 0)
			v.num = (double)(st->day - st->completed[i]);
		else
			v.missing = 1;
		return v;
	}
	if (i >= st->nmodules)
		return v;
	if (fn == ST_FN_COMPLETED)
		v.num = st->completed[i] >= 0;
	else if (fn == ST_FN_REVIEWED)
		v.num = st->reviewed[i] >= 0;
	return v;
}

static st_value score_name(void *ctx, int ref, size_t index, const void *target)
{
	const sim *s = ctx;
	st_value v = { ST_TYPE_NUMBER, 1, 0, NULL, 0 };
	if (ref != ST_NAME_FORM_SCORE)
		return v;
	for (size_t i = 0; i < s->nscores; i++)
		if (s->scores[i].form == target && s->scores[i].index == index) {
			v.missing = 0;
			v.num = s->scores[i].value;
		}
	return v;
}

static int holds(sim *s, const st_expr *e)
{
	if (!e || !e->ast || e->type != ST_TYPE_BOOL)
		return 0;
	st_eval_env env = { s, score_name, sr_timeline_module };
	return st_value_true(st_expr_eval(e->ast, &env));
}

/* ---- events ------------------------------------------------------------ */

static void event(sim *s, const char *kind, const char *id, const char *title,
                  const char *at, const char *text)
{
	st_buf *b = s->ev;
	st_buf_printf(b, "%s{\"day\":%ld,\"kind\":\"%s\"", s->nev++ ? "," : "",
	              s->st.day, kind);
	if (id) {
		st_buf_adds(b, ",\"id\":");
		st_buf_add_json(b, id, strlen(id));
	}
	if (title) {
		st_buf_adds(b, ",\"title\":");
		st_buf_add_json(b, title, strlen(title));
	}
	if (at) {
		st_buf_adds(b, ",\"at\":");
		st_buf_add_json(b, at, strlen(at));
	}
	if (text) {
		st_buf_adds(b, ",\"text\":");
		st_buf_add_json(b, text, strlen(text));
	}
	st_buf_addc(b, '}');
}

static const char *form_title(const st_program *p, const char *id)
{
	const st_form *f = st_program_form(p, id);
	return f ? (f->name ? f->name : f->title) : NULL;
}

/* Forms due "at" (start, weekly, end, module:SLUG). */
static void due(sim *s, const char *at)
{
	const st_program *p = s->p;
	for (size_t i = 0; i < p->nassessments; i++)
		for (size_t k = 0; k < p->assessments[i].nat; k++)
			if (p->assessments[i].form && !strcmp(p->assessments[i].at[k], at))
				event(s, "due", p->assessments[i].form,
				      form_title(p, p->assessments[i].form), at, NULL);
}

/* Open what can open and send what is due, as of now. */
static void settle(sim *s)
{
	const st_program *p = s->p;
	for (size_t i = 0; i < p->nmodules; i++) {
		if (s->st.opened[i] >= 0)
			continue;
		const st_module *m = &p->modules[i];
		int open = m->unlock ? holds(s, m->unlock)
		                     : i == 0 || s->st.completed[i - 1] >= 0;
		if (open) {
			s->st.opened[i] = s->st.day;
			event(s, "open", m->id, m->title, NULL, NULL);
		}
	}
	for (size_t i = 0; i < p->nmessages; i++) {
		const st_message *msg = &p->messages[i];
		if (s->sent[i] >= 0)
			continue;
		int send = msg->when_kw ? (!strcmp(msg->when_kw, "start") ||
		                           (s->ended && s->st.day == s->end_day))
		                        : holds(s, msg->when);
		if (send) {
			s->sent[i] = s->st.day;
			event(s, "message", msg->id, NULL, NULL, msg->text);
		}
	}
}

static void end_now(sim *s)
{
	s->ended = 1;
	s->end_day = s->st.day;
	event(s, "end", NULL, NULL, NULL, NULL);
	due(s, "end");
}

/* ---- actions ----------------------------------------------------------- */

static long module_index(const st_program *p, const char *id)
{
	for (size_t i = 0; i < p->nmodules; i++)
		if (p->modules[i].id && !strcmp(p->modules[i].id, id))
			return (long)i;
	return -1;
}

static void complete(sim *s, size_t i)
{
	const st_module *m = &s->p->modules[i];
	s->st.completed[i] = s->st.day;
	event(s, "complete", m->id, m->title, NULL, NULL);
	due(s, st_sprintf(s->a, "module:%s", m->id));
	settle(s);
	if (!s->ended && s->p->duration_weeks <= 0) {
		size_t k = 0;
		while (k < s->p->nmodules && s->st.completed[k] >= 0)
			k++;
		if (k == s->p->nmodules) {
			end_now(s);
			settle(s);
		}
	}
}

static void one_day(sim *s)
{
	s->st.day++;
	if (!s->ended && s->end_day >= 0 && s->st.day >= s->end_day) {
		end_now(s);
	} else if (!s->ended && s->st.day % 7 == 0) {
		due(s, "weekly");
	}
	settle(s);
}

/* One line of the script; NULL when it was played, else the problem. */
static const char *play(sim *s, char *line)
{
	char *w[4];
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t", &save); t && n < 4;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n == 0)
		return NULL;
	if ((!strcmp(w[0], "complete") || !strcmp(w[0], "review")) && n == 2) {
		long i = module_index(s->p, w[1]);
		if (i < 0)
			return st_sprintf(s->a, "no module '%s'", w[1]);
		if (w[0][0] == 'c') {
			if (s->st.opened[i] < 0)
				return st_sprintf(s->a, "module '%s' is not open", w[1]);
			if (s->st.completed[i] >= 0)
				return st_sprintf(s->a, "module '%s' is completed already", w[1]);
			complete(s, (size_t)i);
			return NULL;
		}
		if (s->st.completed[i] < 0)
			return st_sprintf(s->a, "module '%s' is not completed", w[1]);
		if (s->st.reviewed[i] >= 0)
			return st_sprintf(s->a, "module '%s' has feedback already", w[1]);
		s->st.reviewed[i] = s->st.day;
		event(s, "review", s->p->modules[i].id, s->p->modules[i].title,
		      NULL, NULL);
		settle(s);
		return NULL;
	}
	if (!strcmp(w[0], "wait") && n == 2) {
		char *end;
		errno = 0;
		long d = strtol(w[1], &end, 10);
		if (*end || errno || d < 1 || d > SR_TL_MAX_DAYS || !isdigit((unsigned char)w[1][0]))
			return st_sprintf(s->a, "'wait' takes a number of days from 1 to %d",
			                  SR_TL_MAX_DAYS);
		if (s->st.day + d > SR_TL_MAX_DAYS)
			return st_sprintf(s->a, "the clock stops at day %d", SR_TL_MAX_DAYS);
		for (long k = 0; k < d; k++)
			one_day(s);
		return NULL;
	}
	if (!strcmp(w[0], "score") && n == 3) {
		char *dot = strchr(w[1], '.');
		const st_form *f = NULL;
		size_t k = 0;
		if (dot) {
			*dot = 0;
			f = st_program_form(s->p, w[1]);
			*dot = '.';
		}
		if (f)
			for (k = 0; k < f->nscores; k++)
				if (f->scores[k].id && !strcmp(f->scores[k].id, dot + 1))
					break;
		if (!f || k == f->nscores)
			return st_sprintf(s->a, "no score '%s'", w[1]);
		char *end;
		double v = strtod(w[2], &end);
		if (*end || end == w[2] || v != v || v > 1e9 || v < -1e9)
			return st_sprintf(s->a, "'%s' is not a number", w[2]);
		size_t i;
		for (i = 0; i < s->nscores; i++)
			if (s->scores[i].form == f && s->scores[i].index == k)
				break;
		if (i == s->nscores) {
			score_val sv = { f, k, v };
			ST_PUSH(s->a, s->scores, s->nscores, s->cscores, sv);
		} else {
			s->scores[i].value = v;
		}
		settle(s);
		return NULL;
	}
	return st_sprintf(s->a, "unknown action '%s'; use complete MODULE, "
	                  "review MODULE, wait DAYS or score FORM.SCORE VALUE", w[0]);
}

static long *days(st_arena *a, size_t n)
{
	long *v = st_alloc(a, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = -1;
	return v;
}

static long *copy_days(st_arena *a, const long *src, size_t n)
{
	long *v = st_alloc(a, (n + 1) * sizeof *v);
	memcpy(v, src, n * sizeof *v);
	return v;
}

static void json_day(st_buf *b, long d)
{
	if (d < 0)
		st_buf_adds(b, "null");
	else
		st_buf_printf(b, "%ld", d);
}

int sr_timeline_run(const st_program *p, const char *script, size_t len,
                    st_buf *out, st_arena *a, sr_tl_state *st_out)
{
	st_arena *ta = st_arena_new();
	size_t n = p->nmodules;
	sim s;
	memset(&s, 0, sizeof s);
	s.p = p;
	s.a = ta;
	s.st.nmodules = n;
	s.st.completed = days(ta, n);
	s.st.reviewed = days(ta, n);
	s.st.opened = days(ta, n);
	s.sent = days(ta, p->nmessages);
	s.end_day = p->duration_weeks > 0 ? 7L * p->duration_weeks : -1;
	st_buf hist, probs;
	st_buf_init(&hist);
	st_buf_init(&probs);
	s.ev = &hist;
	due(&s, "start");
	settle(&s);

	int nprob = 0;
	char *text = st_strndup(ta, script ? script : "", script ? len : 0);
	size_t lineno = 0;
	for (char *line = text; line && *line && lineno < SR_TL_MAX_LINES; ) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		lineno++;
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
			line[--l] = 0;
		if (line[0] != '#') {
			const char *why = play(&s, line);
			if (why) {
				const char *msg = st_sprintf(ta, "line %zu: %s", lineno, why);
				if (nprob++)
					st_buf_addc(&probs, ',');
				st_buf_add_json(&probs, msg, strlen(msg));
			}
		}
		line = nl ? nl + 1 : NULL;
	}

	if (!out)
		goto done;
	/* The forecast: a copy of the state, played on by time alone. */
	sim f = s;
	f.st.completed = copy_days(ta, s.st.completed, n);
	f.st.reviewed = copy_days(ta, s.st.reviewed, n);
	f.st.opened = copy_days(ta, s.st.opened, n);
	f.sent = copy_days(ta, s.sent, p->nmessages);
	st_buf plan;
	st_buf_init(&plan);
	f.ev = &plan;
	f.nev = 0;
	long horizon = s.st.day + 56;
	if (!s.ended && s.end_day > horizon)
		horizon = s.end_day;
	if (horizon > s.st.day + 365)
		horizon = s.st.day + 365;
	if (horizon > SR_TL_MAX_DAYS)
		horizon = SR_TL_MAX_DAYS;
	while (!f.ended && f.st.day < horizon)
		one_day(&f);

	st_buf_printf(out, "{\"day\":%ld,\"week\":%ld,\"end_day\":", s.st.day,
	              s.st.day / 7 + 1);
	json_day(out, s.end_day);
	st_buf_printf(out, ",\"ended\":%s,\"modules\":[", s.ended ? "true" : "false");
	for (size_t i = 0; i < n; i++) {
		const st_module *m = &p->modules[i];
		st_buf_adds(out, i ? ",{\"id\":" : "{\"id\":");
		st_buf_add_json(out, m->id ? m->id : "", m->id ? strlen(m->id) : 0);
		st_buf_adds(out, ",\"title\":");
		st_buf_add_json(out, m->title ? m->title : "",
		                m->title ? strlen(m->title) : 0);
		st_buf_printf(out, ",\"state\":\"%s\",\"reviewed\":%s,\"opened\":",
		              s.st.completed[i] >= 0 ? "completed" :
		              s.st.opened[i] >= 0 ? "open" : "locked",
		              s.st.reviewed[i] >= 0 ? "true" : "false");
		json_day(out, s.st.opened[i]);
		st_buf_adds(out, ",\"completed\":");
		json_day(out, s.st.completed[i]);
		st_buf_addc(out, '}');
	}
	st_buf_adds(out, "],\"history\":[");
	if (hist.len)
		st_buf_add(out, hist.data, hist.len);
	st_buf_adds(out, "],\"planned\":[");
	if (plan.len)
		st_buf_add(out, plan.data, plan.len);
	st_buf_adds(out, "],\"problems\":[");
	if (probs.len)
		st_buf_add(out, probs.data, probs.len);
	st_buf_adds(out, "]}\n");
	st_buf_release(&plan);
done:
	if (st_out) {
		st_out->day = s.st.day;
		st_out->nmodules = n;
		st_out->completed = copy_days(a, s.st.completed, n);
		st_out->reviewed = copy_days(a, s.st.reviewed, n);
		st_out->opened = copy_days(a, s.st.opened, n);
	}
	st_buf_release(&hist);
	st_buf_release(&probs);
	st_arena_free(ta);
	return nprob;
}
