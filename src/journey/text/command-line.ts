/**
 * How a command the tool prints for the person is written: `aci-migrate` with the flags that make it reach the
 * same place this run does (the sandbox, the state directory), so it works when pasted as printed.
 */
export type CommandLine = (args: string) => string;

export const bareCommandLine: CommandLine = (args) => `aci-migrate ${args}`;
