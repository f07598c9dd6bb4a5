#!/bin/sh
# bench/hugo_site.sh PROGRAM SITE — the Hugo side of `make bench`: a
# minimal Hugo site holding a generated program's modules (bench/gen.py),
# so that Hugo builds the same Markdown that stegc builds.
#
# SITE/content/ gets a copy of every PROGRAM/modules/*.md as it is (YAML
# front matter, Markdown, the ```exercise and ```form blocks, which Hugo
# renders as code), SITE/static/media/ a copy of PROGRAM/media/ (Hugo
# copies it into the output, as stegc puts the media into the bundle).
# The layout is one line: the page's title and its rendered Markdown in an
# HTML document.  Only pages are made: no home, section, taxonomy, RSS,
# sitemap, robots.txt or 404 page, which a bundle has no equivalent of.
#
# Build it with `hugo --source SITE --destination OUT --quiet` (OUT is
# taken relative to SITE unless absolute).  The site
# is a function of the program only; SITE is replaced.
set -eu
if [ $# != 2 ] || [ ! -d "$1/modules" ]; then
	echo "usage: bench/hugo_site.sh PROGRAM SITE (PROGRAM made by bench/gen.py)" >&2
	exit 2
fi
prog=$1
site=$2
rm -rf "$site"
mkdir -p "$site/content" "$site/layouts/_default" "$site/static/media"
cp "$prog"/modules/*.md "$site/content/"
if [ -d "$prog/media" ]; then
	cp "$prog"/media/* "$site/static/media/"
fi
cat > "$site/hugo.toml" <<'TOML'
baseURL = "https://bench.invalid/"
languageCode = "sv"
title = "bench"
disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
TOML
echo '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>' \
	> "$site/layouts/_default/single.html"
