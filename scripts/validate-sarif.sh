#!/usr/bin/env bash
# validate-sarif.sh [--notes] FILE...
#
# Validates SARIF files with Microsoft's SARIF Multitool and exits non-zero
# if any file has an error.
#
# The multitool ships through npm as a self-contained .NET binary (no .NET
# runtime needed; node and npm are needed to install it). On first use it is
# installed into ${SEAWORTHY_CACHE:-$HOME/.cache/seaworthy}/sarif-multitool
# (about 100 MB); SARIF_MULTITOOL_VERSION picks another version.
#
# Each FILE goes through two steps:
#   1. load: the multitool's `rewrite` verb deserializes it with the SARIF
#      SDK. This step exists because `validate` silently skips a file the SDK
#      cannot deserialize (for example "level": "bogus") and then reports it
#      as clean with exit code 0.
#   2. validate: JSON-schema errors (JSONnnnn) and SARIF rule errors
#      (SARIF1nnn) fail the file; warnings (SARIF2nnn) are printed but do not
#      fail it. --notes also prints note-level suggestions.
# The multitool's own exit code is 0 even when it reports errors, so the
# verdict is read from its SARIF output log.
#
# Exit status: 0 every file is valid, 1 some file is not, 2 usage or
# installation problem.
set -euo pipefail

usage() {
	echo "usage: $0 [--notes] FILE..." >&2
	exit 2
}

levels="Error;Warning"
files=()
for arg in "$@"; do
	case "$arg" in
	--notes) levels="Error;Warning;Note" ;;
	-h | --help) usage ;;
	-*) echo "$0: unknown flag $arg" >&2; usage ;;
	*) files+=("$arg") ;;
	esac
done
[[ ${#files[@]} -gt 0 ]] || usage

version=${SARIF_MULTITOOL_VERSION:-5.7.0}
cache=${SEAWORTHY_CACHE:-$HOME/.cache/seaworthy}/sarif-multitool

case "$(uname -s)" in
Linux) platform=linux exe=Sarif.Multitool ;;
Darwin) platform=darwin exe=Sarif.Multitool ;;
MINGW* | MSYS* | CYGWIN*) platform=win32 exe=Sarif.Multitool.exe ;;
*) echo "$0: no SARIF Multitool build for $(uname -s)" >&2; exit 2 ;;
esac
bin=$cache/node_modules/@microsoft/sarif-multitool-$platform/$exe

installed_version() {
	local pj=$cache/node_modules/@microsoft/sarif-multitool/package.json
	[[ -f $pj && -f $bin ]] || return 0
	node -p 'require(process.argv[1]).version' "$pj" 2>/dev/null || true
}

for tool in node npm; do
	command -v "$tool" >/dev/null || { echo "$0: $tool is required to install and drive the SARIF Multitool" >&2; exit 2; }
done

if [[ $(installed_version) != "$version" ]]; then
	echo "installing @microsoft/sarif-multitool@$version into $cache ..." >&2
	mkdir -p "$(dirname "$cache")"
	# Install beside the cache and move it into place, so an interrupted
	# install never leaves a half-populated cache behind.
	staging=$(mktemp -d "$cache.XXXXXX")
	if ! npm install --prefix "$staging" --no-audit --no-fund --loglevel=error \
		"@microsoft/sarif-multitool@$version" >&2; then
		rm -rf "$staging"
		echo "$0: npm install @microsoft/sarif-multitool@$version failed" >&2
		exit 2
	fi
	rm -rf "$cache"
	mv "$staging" "$cache"
fi
[[ -f $bin ]] || { echo "$0: $bin missing after install (platform package not installed?)" >&2; exit 2; }
# The package's postinstall (chmod u+x) may be blocked by npm's script policy.
[[ -x $bin ]] || chmod u+x "$bin"

# The self-contained .NET runtime needs ICU unless told to do without.
if [[ $platform == linux && -z ${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-} ]] &&
	! { ldconfig -p 2>/dev/null | grep -q libicuuc; }; then
	export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# count_errors LOG: prints the number of error-level results and failed
# tool notifications in a multitool output log.
count_errors() {
	node -e '
const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
let n = 0;
for (const run of log.runs || []) {
  for (const r of run.results || []) if ((r.level || "warning") === "error") n++;
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) n++;
    for (const k of ["toolExecutionNotifications", "toolConfigurationNotifications"])
      for (const note of inv[k] || []) if (note.level === "error") n++;
  }
}
console.log(n);
' "$1"
}

status=0
i=0
for f in "${files[@]}"; do
	i=$((i + 1))
	if [[ ! -f $f ]]; then
		echo "$f: error: no such file" >&2
		status=1
		continue
	fi
	# The multitool analyses only *.sarif (and a few other) file names; a
	# copy also keeps its output paths predictable.
	in=$work/$i.sarif
	cp "$f" "$in"

	if ! out=$("$bin" rewrite "$in" -o "$work/$i.rewritten.sarif" --log ForceOverwrite 2>&1); then
		reason=$(grep -m1 -E 'Exception|rror' <<<"$out" || true)
		echo "$f: error: the SARIF SDK cannot load this file: ${reason:-$out}"
		status=1
		continue
	fi

	rc=0
	"$bin" validate "$in" -o "$work/$i.log.sarif" --log ForceOverwrite --level "$levels" >"$work/$i.out" 2>&1 || rc=$?
	# Report the multitool's findings under the caller's file name.
	grep -E ': (error|warning|note) ' "$work/$i.out" | while IFS= read -r line; do
		printf '%s\n' "${line/#"$in"/$f}"
	done || true
	if [[ $rc -ne 0 || ! -f $work/$i.log.sarif ]]; then
		echo "$f: error: the multitool failed (exit $rc):" >&2
		cat "$work/$i.out" >&2
		status=1
		continue
	fi
	errors=$(count_errors "$work/$i.log.sarif")
	if [[ $errors -gt 0 ]]; then
		echo "$f: INVALID ($errors error(s))"
		status=1
	else
		echo "$f: valid"
	fi
done
exit $status
