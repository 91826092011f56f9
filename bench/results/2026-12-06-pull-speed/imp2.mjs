const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t = cpu();
await import(process.argv[2] + '/dist/src/cli/main.js'); await import(process.argv[2] + '/dist/src/cli/commands/pull-command.js');
console.log(process.argv[2], (cpu() - t).toFixed(1));
