/* live.js — stegc preview's live reload (compiler/live.h): reload the
 * page in place when the program is recompiled, keeping the scroll
 * position; show the compiler's findings over the page while the sources
 * have errors, and take them away when they are fixed.  No inline script
 * or style: the overlay is built with DOM calls and styled through
 * CSSOM, which the Content-Security-Policy allows. */
(function () {
	'use strict';
	var key = 'steg-live-scroll:' + location.pathname + location.search;
	var saved = null;
	try { saved = sessionStorage.getItem(key); } catch (e) { saved = null; }
	if (saved !== null) {
		try { sessionStorage.removeItem(key); } catch (e) { /* ignore */ }
		var y = parseInt(saved, 10) || 0;
		window.scrollTo(0, y);
		window.addEventListener('load', function () { window.scrollTo(0, y); });
	}
	if (!window.EventSource) {
		return;
	}
	var base = document.body ? (document.body.getAttribute('data-base') || '') : '';
	var overlay = null;

	function clear() {
		if (overlay && overlay.parentNode) {
			overlay.parentNode.removeChild(overlay);
		}
		overlay = null;
	}

	function el(name, text) {
		var e = document.createElement(name);
		if (text !== undefined) {
			e.textContent = text;
		}
		return e;
	}

	function show(data) {
		clear();
		var list = (data.findings || []).filter(function (f) {
			return f.level === 'error';
		});
		if (!list.length) {
			return;
		}
		overlay = el('div');
		overlay.id = 'steg-live-errors';
		overlay.setAttribute('role', 'alert');
		var s = overlay.style;
		s.position = 'fixed';
		s.left = '0';
		s.right = '0';
		s.bottom = '0';
		s.maxHeight = '60vh';
		s.overflow = 'auto';
		s.zIndex = '1000';
		s.background = '#fff8f6';
		s.color = '#3d0b00';
		s.borderTop = '4px solid #b3261e';
		s.padding = '0.75rem 1rem';
		s.fontFamily = 'ui-monospace, monospace';
		s.fontSize = '0.9rem';
		var h = el('h2', list.length === 1 ? 'Programmet har ett fel'
			: 'Programmet har ' + list.length + ' fel');
		h.style.margin = '0 0 0.5rem';
		h.style.fontSize = '1rem';
		overlay.appendChild(h);
		overlay.appendChild(el('p', 'Sidan visar den senaste versionen utan fel.'));
		var ul = el('ul');
		ul.style.paddingLeft = '1.2rem';
		list.forEach(function (f) {
			var li = el('li');
			var where = (f.file || '') + (f.line ? ':' + f.line : '') +
				(f.column ? ':' + f.column : '');
			li.appendChild(el('strong', where));
			li.appendChild(document.createTextNode(' ' + f.message + ' '));
			li.appendChild(el('code', '[' + f.code + ']'));
			ul.appendChild(li);
		});
		overlay.appendChild(ul);
		document.body.appendChild(overlay);
	}

	var es = new EventSource(base + '/events');
	es.addEventListener('reload', function () {
		try {
			sessionStorage.setItem(key, String(window.scrollY || window.pageYOffset || 0));
		} catch (e) { /* private mode: reload without the position */ }
		location.reload();
	});
	es.addEventListener('errors', function (ev) {
		try { show(JSON.parse(ev.data)); } catch (e) { /* ignore */ }
	});
	es.addEventListener('ok', clear);
}());
