#!/bin/sh
# t0545-expr-start: days_since(start) — days since the treatment started —
# is checked and evaluated like the other pacing functions.  The runtime has
# no pages that open modules yet, so the evaluation is tested through
# tests/tools/expr-tool.c, which checks a rule in a small program and
# evaluates it with the core's one evaluator.
. "$(dirname "$0")/lib.sh"
XT=$TRASH_ROOT/expr-tool

test_expect_success 'the test tool builds against the core library' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-I"$SRC/core" "$SRC/tests/tools/expr-tool.c" \
		"$SRC/$STEG_BUILD/libstegcore.a" \
		$(pkg-config --libs yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson) \
		-lm -lpthread -o "$XT"
'

# day 20000 is 2024-10-04; the treatment started 14 days before
test_expect_success 'days_since(start) counts whole days from the start' '
	"$XT" "days_since(start) == 14" 19986 20000 > out &&
	echo true > expect && test_cmp expect out &&
	"$XT" "days_since(start) >= 15" 19986 20000 > out &&
	echo false > expect && test_cmp expect out &&
	"$XT" "days_since(start) == 0" 20000 20000 > out &&
	echo true > expect && test_cmp expect out
'

test_expect_success 'it combines with the module functions' '
	"$XT" "completed(\"intro\") and days_since(start) >= 7 and days_since(\"intro\") < days_since(start)" 19986 20000 19990 > out &&
	echo true > expect && test_cmp expect out &&
	"$XT" "completed(\"intro\") and days_since(start) >= 7" 19986 20000 > out &&
	echo false > expect && test_cmp expect out
'

test_expect_success 'a rule on days_since(start) that can never hold is an error' '
	run out "$XT" "days_since(start) < 0 and completed(\"intro\")" 19986 20000 &&
	test "$rc" = 1 &&
	cat > expect <<-\EXP &&
	error: module '\''tre'\'' can never be unlocked: '\''days_since(start) < 0'\'' is never true: '\''days_since(start)'\'' is never negative [unlock-never]
	EXP
	test_cmp expect out
'

test_expect_success 'start in quotes is a module, and the error says to drop them' '
	run out "$XT" "days_since(\"start\") >= 7" 19986 20000 &&
	test "$rc" = 1 &&
	grep -F "unknown module '\''start'\''; for the days since the treatment started write days_since(start), without quotes [unknown-name]" out
'

test_expect_success 'days_since(start) is only for unlock rules and messages' '
	mkdir -p p && cp -R "$SRC/tests/golden/base/." p/ &&
	sed -i "s/    when: q1 >= 2/    when: q1 >= 2 and days_since(start) > 3/" p/forms/mood.yaml &&
	run out "$STEGC" check p &&
	test "$rc" = 1 &&
	grep -F "days_since() is about modules and can only be used in unlock rules and messages [expr-type]" out
'

test_expect_success 'a program timed from the start builds and keeps the rule in program.xml' '
	mkdir -p p && cp -R "$SRC/tests/golden/base/." p/ &&
	sed -i "s/^unlock: completed(\"intro\")$/unlock: completed(\"intro\") or days_since(start) >= 14/" p/modules/02-vardag.md &&
	grep -F "days_since(start) >= 14" p/modules/02-vardag.md &&
	"$STEGC" check -Werror p &&
	"$STEGC" build p -o p.steg &&
	unzip -p p.steg program.xml > program.xml &&
	grep -F "<unlock>completed(\"intro\") or days_since(start) &gt;= 14</unlock>" program.xml
'
test_done
