"""The Autograd page's price table, printed as Markdown from the last benchmark run."""

import json
from pathlib import Path

result = json.loads(Path("benchmarks/autograd.json").read_text())
per_step = result["microseconds_per_step"]
run = f"{result['epochs']} epochs ({result['steps']} steps), medians of {result['repeats']} runs"
print(f"Last run: {result['date']}, Python {result['python']}, NumPy {result['numpy']}, {run}.\n")
print("| gradients | µs per step | × backprop |")
print("| --- | ---: | ---: |")
for name in ("backprop", "autograd"):
    print(f"| {name} | {per_step[name]:.0f} | {per_step[name] / per_step['backprop']:.2f} |")
met = "met" if result["ratio"] <= result["target"] else "not met"
print(f"\nTarget: autograd at most {result['target']}× backprop, {met}.\n")
print("Where an autograd run spends its own time (cProfile, top entries):\n")
print("| function | calls | share |")
print("| --- | ---: | ---: |")
for entry in result["autograd_profile"]:
    print(f"| `{entry['function']}` | {entry['calls']} | {entry['share']:.0%} |")
