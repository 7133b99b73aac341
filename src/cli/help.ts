// Rearranges yargs help into kubectl's look: description, Examples:, commands, options, then Usage: and a hint.
// Examples are written in kubectl's style: "# what it does" above the command line.
// May import: nothing.

export interface Example {
  readonly what: string;
  readonly cmd: string;
}

/** The Examples block for a command's epilogue; "$0" becomes the program name in yargs. */
export function examples(list: readonly Example[]): string {
  return ['Examples:', ...list.map((e) => `  # ${e.what}\n  ${e.cmd}`)].join('\n');
}

const HEADING = /^[A-Z][A-Za-z -]*:$/;

/**
 * yargs prints: usage line, description, Commands/Positionals/option groups, then the epilogue. kubectl prints
 * the description, Examples, commands and options, and the usage last. Blocks are separated by blank lines.
 */
export function kubectlHelp(text: string, scriptName: string): string {
  const blocks = text
    .replace(/\r/g, '')
    .split(/\n\n+/)
    .map((b) => b.replace(/\s+$/, ''))
    .filter((b) => b.trim() !== '');
  if (blocks.length === 0) return text;
  const [usage = '', ...rest] = blocks;
  const description: string[] = [];
  const sections = new Map<string, string[]>();
  const trailing: string[] = [];
  let seenHeading = false;
  let current: string | undefined;
  for (const b of rest) {
    const first = b.split('\n')[0] ?? '';
    if (HEADING.test(first)) {
      seenHeading = true;
      current = first;
      sections.set(first, [...(sections.get(first) ?? []), b]);
    } else if (current === 'Examples:' && b.startsWith('  ')) {
      sections.get(current)?.push(b);
    } else if (!seenHeading) {
      description.push(b);
    } else {
      trailing.push(b);
      current = undefined;
    }
  }
  const take = (name: string): string[] => {
    const found = sections.get(name) ?? [];
    sections.delete(name);
    return found;
  };
  // yargs drops blank lines inside an epilogue; kubectl separates examples with one.
  const examplesBlocks = take('Examples:').map((b) =>
    b.replace(/\n(?= {2}# )/g, '\n\n').replace(/^Examples:\n\n/, 'Examples:\n'),
  );
  const commands = take('Commands:').map((b) => b.replace(/^Commands:/, 'Available Commands:'));
  const positionals = take('Positionals:').map((b) => b.replace(/^Positionals:/, 'Arguments:'));
  const options = take('Options:');
  const global = take('Global options:');
  const groups = [...sections.values()].flat();
  const hasCommands = commands.length > 0;
  const out = [
    ...description,
    examplesBlocks.join('\n'),
    ...commands,
    ...positionals,
    ...groups,
    ...options,
    ...global,
    `Usage:\n  ${usage.split('\n')[0]?.trim() ?? ''}${/\[options\]|\[flags\]/.test(usage) ? '' : ' [options]'}`,
    ...trailing,
    hasCommands ? `Use "${scriptName} <command> --help" for more information about a given command.` : '',
  ].filter((b) => b.trim() !== '');
  return `${out.join('\n\n')}\n`;
}
