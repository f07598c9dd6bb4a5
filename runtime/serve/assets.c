/*
 * assets.c — the stylesheet of the server's pages (assets.h).
 */
#include "assets.h"

const char sv_css[] =
	":root{--fg:#1b1b1b;--bg:#fff;--accent:#005a8c;--muted:#595959;"
	"--line:#c8c8c8;--warn:#8a1c00}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);"
	"background:var(--bg)}\n"
	"header.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;"
	"padding:.5rem 1rem;border-bottom:1px solid var(--line)}\n"
	"header.top .brand{font-weight:700;color:var(--accent);"
	"text-decoration:none}\n"
	"header.top nav ul{display:flex;gap:1rem;list-style:none;margin:0;"
	"padding:0}\n"
	"header.top .who{margin:0 0 0 auto;color:var(--muted)}\n"
	"main{padding:1rem;max-width:70rem}\n"
	"a{color:var(--accent)}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;padding:.4rem;border-bottom:1px solid "
	"var(--line);vertical-align:top}\n"
	".button,button{display:inline-block;padding:.3rem .8rem;border:1px "
	"solid var(--accent);border-radius:4px;background:var(--accent);"
	"color:#fff;text-decoration:none;font:inherit;cursor:pointer}\n"
	".button.secondary,button.secondary{background:#fff;"
	"color:var(--accent)}\n"
	".detail,.refused{color:var(--warn)}\n"
	"form.inline{display:inline}\n"
	"label{display:block;margin:.5rem 0 .2rem}\n"
	"input,select{font:inherit;padding:.3rem}\n"
	"@media (max-width:40rem){th,td{display:block;border:0}"
	"tr{display:block;border-bottom:1px solid var(--line)}"
	"thead{display:none}}\n";

const size_t sv_css_len = sizeof sv_css - 1;
