/*
 * preview.js — the pages' only script: as the patient answers, it posts
 * the form's fields to BASE/api/eval and shows what the server computed
 * (which fields are shown, computed values, the clinician's panel).  It
 * evaluates nothing itself: every expression is the server's, the same
 * code as `steg score`.  Without it the pages work by submitting.
 */
(function () {
	'use strict';
	var base = document.body.getAttribute('data-base') || '';

	function sel(attr, value) {
		return '[' + attr + '="' + (window.CSS && CSS.escape ?
			CSS.escape(value) : value) + '"]';
	}

	function show(form, kind, id, res) {
		var visible = {};
		res.visible.forEach(function (v) { visible[v] = true; });
		form.querySelectorAll('[data-field]').forEach(function (el) {
			el.hidden = !visible[el.getAttribute('data-field')];
		});
		Object.keys(res.computed).forEach(function (k) {
			var out = form.querySelector('output' + sel('data-computed', k));
			if (out)
				out.textContent = res.computed[k].text;
		});
		if (kind === 'form') {
			var panel = document.querySelector('aside' + sel('data-panel', id) +
				' .panel-body');
			if (panel)
				panel.innerHTML = res.panel;
		}
	}

	function update(form) {
		var kind = form.getAttribute('data-eval');
		var id = form.getAttribute('data-id');
		var data = new URLSearchParams(new FormData(form));
		['_entries', '_edit', '_load', '_action'].forEach(function (k) {
			data.delete(k);
		});
		data.set(kind === 'form' ? '_form' : '_exercise', id);
		// Answers change faster than replies come back: only the reply to
		// the latest answers is shown, never an older one arriving late.
		var n = form.stegSeq = (form.stegSeq || 0) + 1;
		fetch(base + '/api/eval', { method: 'POST', body: data })
			.then(function (r) { return r.ok ? r.json() : null; })
			.then(function (res) {
				if (res && n === form.stegSeq)
					show(form, kind, id, res);
			})
			.catch(function () { /* the page still works by submitting */ });
	}

	document.querySelectorAll('form[data-eval]').forEach(function (form) {
		var timer = null;
		form.addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(function () { update(form); }, 120);
		});
		form.addEventListener('change', function () {
			clearTimeout(timer);
			update(form);
		});
	});
}());
