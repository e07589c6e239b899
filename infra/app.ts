import { createTierdeskApp } from './tierdesk-stack.ts';

/** Entry point of `cdk synth` / `cdk deploy` (see cdk.json); the context parameters are in CONTEXT_DEFAULTS. */
createTierdeskApp().app.synth();
