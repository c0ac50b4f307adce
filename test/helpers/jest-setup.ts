// Test output stays readable: our pino loggers log warnings and errors only unless asked.
process.env.CUTOVER_LOG_LEVEL ??= 'warn';
process.env.CUTOVER_LOG_PRETTY ??= '0';
