import type { Command } from 'commander';
import { register as audit } from './audit';
import { register as evaluate } from './evaluate';
import { register as experiments } from './experiments';
import { register as experimentsResults } from './experiments-results';
import { register as policy } from './policy';
import { register as predict } from './predict';
import { register as privacy } from './privacy';
import { register as review } from './review';
import { register as segments } from './segments';
import { register as serve } from './serve';
import { register as train } from './train';

/**
 * Every `attune` sub-command registers itself here: one file per command under this folder,
 * each exporting a `register(program)` function.
 */
export type Register = (program: Command) => void;

/** The registered commands, in the order `attune --help` lists them. */
export const commands: Register[] = [serve, train, evaluate, experiments, experimentsResults, segments, predict, policy, privacy, audit, review];
