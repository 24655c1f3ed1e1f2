#!/usr/bin/env node
// The AWS SDK versions are pinned for Node 20 on purpose; their notice about later releases needing Node 22 is
// noise on every run. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// `lakewarden plan | head`: when the reader goes away, stop writing but finish the work in hand (an apply must
// not stop half-way because nobody reads its progress).
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.stdout.write = () => true;
});

const { main } = await import("./main.js");

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
