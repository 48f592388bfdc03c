#!/usr/bin/env node
// Committed launcher (it exists at install time, so npm links it); the program is built into dist/.
import { main } from '../dist/program.js';

await main(process.argv);
