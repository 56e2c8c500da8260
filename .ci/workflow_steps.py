#!/usr/bin/env python3
"""Turns one job of a GitHub Actions workflow into a bash script, so CI can run the
job's shell steps on this machine: the workflow is tested as written, not a copy of it.

    workflow_steps.py WORKFLOW JOB [NAME=VALUE ...] > job.sh

Each `run:` step becomes a subshell with the step's `env:` exported. A `${{ expr }}` in
a run script or env value is replaced by the VALUE given for NAME=expr (the expression
without braces, e.g. steps.pages.outputs.base_url=https://org.github.io/repo); an
expression with no value given is an error, so nothing runs half-substituted. `uses:`
steps are listed as comments: the test provides what they would (checkout, Pages
address, cache).

    workflow_steps.py --shell-scripts WORKFLOW... OUT_DIR

writes every `run:` script of every job to OUT_DIR (for shellcheck), with expressions
replaced by a placeholder variable.
"""
import re
import shlex
import sys
from pathlib import Path

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def substitute(text, values, where):
    def one(m):
        expr = m.group(1)
        if expr not in values:
            sys.exit(f"{where}: no value given for ${{{{ {expr} }}}}")
        return values[expr]

    return EXPR.sub(one, str(text))


def job_script(workflow, job_name, values):
    doc = yaml.safe_load(Path(workflow).read_text())
    job = doc["jobs"][job_name]
    out = ["#!/usr/bin/env bash", f"# Shell steps of {workflow}, job {job_name}", "set -euo pipefail"]
    for i, step in enumerate(job["steps"]):
        where = f"{workflow}: job {job_name}, step {i + 1}"
        label = step.get("name") or step.get("id") or step.get("uses") or step.get("run", "")[:40]
        if "uses" in step:
            out.append(f"# skipped (uses): {step['uses']}")
            continue
        out.append(f"echo {shlex.quote('== step: ' + label.strip())}")
        out.append("(")
        for key, val in {**job.get("env", {}), **step.get("env", {})}.items():
            out.append(f"  export {key}={shlex.quote(substitute(val, values, where))}")
        out.append(f"  bash -euo pipefail -c {shlex.quote(substitute(step['run'], values, where))}")
        out.append(")")
    return "\n".join(out) + "\n"


def shell_scripts(workflows, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for w, workflow in enumerate(workflows):
        doc = yaml.safe_load(Path(workflow).read_text())
        for job_name, job in doc["jobs"].items():
            for i, step in enumerate(job.get("steps", [])):
                if "run" not in step:
                    continue
                body = EXPR.sub("${GITHUB_EXPRESSION}", step["run"])
                name = f"{w}-{Path(workflow).stem}-{job_name}-{i + 1}.sh"
                header = "#!/usr/bin/env bash\n# " + f"{workflow}: job {job_name}, step {i + 1}\nexport GITHUB_EXPRESSION=x\n"
                (out / name).write_text(header + body)
                count += 1
    print(count)


def main(argv):
    if argv[:1] == ["--shell-scripts"]:
        shell_scripts(argv[1:-1], argv[-1])
        return
    workflow, job_name, *pairs = argv
    values = dict(p.split("=", 1) for p in pairs)
    sys.stdout.write(job_script(workflow, job_name, values))


if __name__ == "__main__":
    main(sys.argv[1:])
