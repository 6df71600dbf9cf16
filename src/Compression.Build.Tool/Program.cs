using System.CommandLine;
using Compression.Build.Tool;

return CommandLine.Run(args, Console.Out, Console.Error);
