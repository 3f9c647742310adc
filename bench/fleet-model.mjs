#!/usr/bin/env node
// Prices a fleet run again from what it kept (bench/.build/fleet-inputs.json, written by
// fleet-run.mjs) with the cost model as it is now: `node bench/fleet-model.mjs [--model-hosts 1000,100000]`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { costModel, formatReport } from './lib/cost-model.mjs';
import { loadReportPhase } from './lib/report-phase-bundle.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { 'model-hosts': { type: 'string' }, inputs: { type: 'string' } } });
const { modelInputs, run } = JSON.parse(readFileSync(values.inputs ?? path.join(BENCH_DIR, '.build', 'fleet-inputs.json'), 'utf8'));
if (values['model-hosts']) modelInputs.modelHosts = values['model-hosts'].split(',').map(Number);
const { reportPhaseSeconds } = await loadReportPhase();
console.log(formatReport({ model: costModel({ ...modelInputs, phaseOf: reportPhaseSeconds }), run }));
