import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The SDK versions are pinned for Node 20 on purpose (see src/cli/bin.ts).
    // Tests assert on plain text: CI runners set CI or FORCE_COLOR, which would colour it.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", NO_COLOR: "1" },
  },
});
