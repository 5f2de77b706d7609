// Types of eslint/layers.js for the TypeScript tests that read its table.
import type { ESLint } from 'eslint';

export interface LayerRule {
  layers: string[];
  packages?: string[];
  why: string;
}

export interface LayerException {
  from: string;
  to: string;
  why: string;
}

export const layering: { layers: Record<string, LayerRule>; exceptions: LayerException[] };
export const layersPlugin: ESLint.Plugin;
