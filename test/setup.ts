// ink renders only the last frame when CI is set (see DEVELOPERS.md); tests want every frame.
delete process.env.CI;
// pip reads only what a test gives it: no package index (none is reachable in CI) and none of this machine's own
// pip settings, so a rehearsal never waits on the network and builds the same way everywhere.
process.env.PIP_NO_INDEX = "1";
process.env.PIP_CONFIG_FILE = "/dev/null";
delete process.env.PIP_FIND_LINKS;
delete process.env.PIP_INDEX_URL;
delete process.env.PIP_EXTRA_INDEX_URL;
