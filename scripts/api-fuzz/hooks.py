# Schemathesis hooks for `npm run test:api-fuzz` (scripts/api-fuzz.ts): one extra check, that no
# response body carries a stack trace or a source path, whatever its status.
import re

import schemathesis

# Node/V8 frames ("    at fn (/app/x.ts:12:5)", raw or JSON-escaped after "\n"), Python
# tracebacks, and paths into the source tree.
STACK_TRACE = re.compile(
    r"(?:\n|\\n)\s*at (?:[^\s()]+ \()?[^\s()]+:\d+:\d+"
    r"|Traceback \(most recent call last\)"
    r"|node_modules/"
    r"|file:///"
    r"|/app/(?:modules|routes)/"
    r"|\.server\.(?:ts|js)\b"
)


@schemathesis.check
def no_stack_trace(ctx, response, case):
    """Fail when a response body shows a stack trace or a source file's path."""
    text = (response.content or b"").decode("utf-8", "replace")
    match = STACK_TRACE.search(text)
    if match:
        raise AssertionError(f"The response body contains a stack trace or a source path: {match.group(0).strip()!r}")
