/**
 * The yearly report's figure definitions, one entry per programme. A programme without an entry
 * gets the generic figures (registered, completed, …). To add yours: a file beside this one
 * exporting a ProgrammeFigures (see types.ts and cataract.ts), and one line in the list below.
 */
import { PROGRAMMES } from '../../../workflows/contracts';
import { cataractFigures } from './cataract';
import { childRehabFigures } from './child-rehab';
import { genericFigures } from './generic';
import { trainingFigures } from './training';
import type { ProgrammeFigures } from './types';

export const PROGRAMME_FIGURES: ProgrammeFigures[] = [
  cataractFigures,
  childRehabFigures,
  trainingFigures,
];

/** Every programme the platform runs, each with its figures (specific or generic). */
export function reportProgrammes(): ProgrammeFigures[] {
  const specific = new Map(PROGRAMME_FIGURES.map((p) => [p.programme, p]));
  const names = [...new Set([...PROGRAMME_FIGURES.map((p) => p.programme), ...Object.keys(PROGRAMMES)])];
  return names.map((n) => specific.get(n) ?? genericFigures(n));
}

export type { FigureDefinition, FigureKind, ProgrammeFigures } from './types';
