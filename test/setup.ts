// ink renders only the last frame when CI is set (see DEVELOPERS.md); tests want every frame.
delete process.env.CI;
