"""The deployment files in deploy/: consistent with the settings the bot reads and how it starts.

No container engine or systemd is needed: the files are parsed and checked as text.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = ROOT / "bot" / "settings.py"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "pestgesprek.env.example"
UNIT = DEPLOY / "pestgesprek.service"
DOCKERFILE = DEPLOY / "Dockerfile"

INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")
RUNS_BOT = re.compile(r"(^|/)python3?(\.\d+)? -m bot$")


def settings_names() -> set[str]:
    """The names bot/settings.py reads: ``environ.get("NAME", ...)`` and ``_positive_float``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get":
            candidates = node.args[:1]
        elif isinstance(func, ast.Name) and func.id == "_positive_float":
            candidates = node.args[1:2]
        else:
            continue
        for arg in candidates:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.add(arg.value)
    return names


def allowed(name: str, names: set[str]) -> bool:
    return name in names or name.startswith("POSTGRES_")


def env_example_names() -> list[str]:
    names = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, sep, _ = line.partition("=")
            assert sep, f"not NAME=value: {line!r}"
            names.append(name.strip())
    return names


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def environment_names(service: dict[str, Any]) -> list[str]:
    env = service.get("environment", {})
    if isinstance(env, dict):
        return list(env)
    return [str(item).split("=", 1)[0] for item in env]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        pending = ""
    return instructions


def unit_entries() -> list[tuple[str, str, str]]:
    """(section, key, value) of the systemd unit, in order."""
    section = ""
    entries = []
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not Key=value: {line!r}"
        entries.append((section, key.strip(), value.strip()))
    return entries


def test_settings_parser_finds_the_settings() -> None:
    names = settings_names()
    expected = {"TELEGRAM_BOT_TOKEN", "DATA_KEY", "DATABASE_URL", "REMINDER_INTERVAL_SECONDS"}
    assert expected <= names
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", name) for name in names), names


def test_compose_parses_with_bot_and_db() -> None:
    services = compose()["services"]
    assert set(services) == {"bot", "db"}
    bot, db = services["bot"], services["db"]
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (COMPOSE.parent / bot["build"]["context"] / bot["build"]["dockerfile"]).is_file()
    assert bot["env_file"] in (".env", [".env"])
    assert bot["restart"] == "unless-stopped"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://pestgesprek:")
    assert bot["environment"]["DATABASE_URL"].endswith("@db/pestgesprek")
    assert db["image"].startswith("postgres:15")
    assert "pg_isready" in " ".join(map(str, db["healthcheck"]["test"]))
    volume = db["volumes"][0].split(":", 1)[0]
    assert volume in compose()["volumes"]
    assert "${POSTGRES_PASSWORD" in db["environment"]["POSTGRES_PASSWORD"]


def test_compose_uses_only_known_variables() -> None:
    names = settings_names()
    text = COMPOSE.read_text(encoding="utf-8")
    used = set(INTERPOLATION.findall(text))
    for service in compose()["services"].values():
        used.update(environment_names(service))
    assert used, "compose.yaml names no variable"
    unknown = sorted(name for name in used if not allowed(name, names))
    assert not unknown, f"compose.yaml uses names bot/settings.py does not read: {unknown}"


def test_env_example_names_only_known_variables() -> None:
    names = settings_names()
    listed = env_example_names()
    assert len(listed) == len(set(listed)), "a variable is listed twice"
    unknown = sorted(name for name in listed if not allowed(name, names))
    assert not unknown, f"the env example lists names bot/settings.py does not read: {unknown}"
    assert "POSTGRES_PASSWORD" in listed


def test_env_example_lists_every_setting_with_a_comment() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    listed = env_example_names()
    missing = sorted(settings_names() - set(listed))
    assert not missing, f"the env example lacks: {missing}"
    for index, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert index > 0 and lines[index - 1].startswith("# "), f"no comment above {line!r}"


def test_env_example_holds_no_real_secret() -> None:
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    # A real Fernet key is 44 url-safe base64 characters; a real token is digits:35 characters.
    assert not re.fullmatch(r"[A-Za-z0-9_-]{43}=", values["DATA_KEY"])
    assert not re.fullmatch(r"\d+:[A-Za-z0-9_-]{35}", values["TELEGRAM_BOT_TOKEN"])
    assert "replace" in values["DATA_KEY"] and "replace" in values["TELEGRAM_BOT_TOKEN"]


def test_unit_runs_the_bot() -> None:
    assert (ROOT / "bot" / "__main__.py").is_file()
    service = {key: value for section, key, value in unit_entries() if section == "Service"}
    assert service["ExecStart"] == "/opt/pestgesprek/.venv/bin/python -m bot"
    assert RUNS_BOT.search(service["ExecStart"])
    assert service["WorkingDirectory"] == "/opt/pestgesprek"
    assert service["EnvironmentFile"] == "/etc/pestgesprek.env"
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["User"] not in ("", "root", "0")


def test_unit_is_hardened_but_can_write_its_data() -> None:
    service = {key: value for section, key, value in unit_entries() if section == "Service"}
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "true"
    writable = service["ReadWritePaths"].split()
    assert f"{service['WorkingDirectory']}/data" in writable
    install = {key: value for section, key, value in unit_entries() if section == "Install"}
    assert install["WantedBy"] == "multi-user.target"


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The instructions of each stage, each list starting with its FROM."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, args in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        assert stages, f"{keyword} before the first FROM"
        stages[-1].append((keyword, args))
    return stages


def test_dockerfile_base_user_and_command() -> None:
    stages = dockerfile_stages()
    froms = [stage[0][1].split()[0] for stage in stages]
    assert all(re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", image) for image in froms), froms
    # The stages use one Python, so the wheel is built for the one that runs it.
    assert len(set(froms)) == 1, froms
    final = stages[-1]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), users
    commands = [args for keyword, args in final if keyword in ("CMD", "ENTRYPOINT")]
    assert commands, "no CMD or ENTRYPOINT"
    command = json.loads(commands[-1])
    assert " ".join(command).endswith("python -m bot")
    # USER comes before the command, so the bot never runs as root.
    keywords = [keyword for keyword, _ in final]
    assert keywords.index("USER") < max(
        i for i, k in enumerate(keywords) if k in ("CMD", "ENTRYPOINT")
    )


def test_dockerfile_builds_a_wheel_and_runs_it_not_the_source_tree() -> None:
    stages = dockerfile_stages()
    assert len(stages) == 2, "a stage that builds the wheel, and one that runs it"
    build, final = stages
    name = build[0][1].split()[-1]
    assert build[0][1].split()[1].upper() == "AS", build[0]
    # The build stage has what a wheel is built from, and builds one.
    copied = [
        source for keyword, args in build if keyword == "COPY" for source in args.split()[:-1]
    ]
    for needed in ("pyproject.toml", "setup.py", "flows", "bot", "locales"):
        assert needed in copied, f"{needed} is not copied into the build stage"
        assert (ROOT / needed).exists()
    build_runs = " && ".join(args for keyword, args in build if keyword == "RUN")
    assert re.search(r"pip wheel .*--no-deps .*--wheel-dir (\S+) \.$", build_runs), build_runs
    wheels = re.search(r"--wheel-dir (\S+)", build_runs)
    assert wheels is not None
    # The final stage takes only the wheel from it and installs that: no source, no -e,
    # and no compiling by hand (the build compiled the catalogs into the wheel).
    final_copies = [args for keyword, args in final if keyword == "COPY"]
    assert final_copies and all(args.startswith(f"--from={name} ") for args in final_copies)
    assert any(f" {wheels[1]} " in f"{args} " for args in final_copies), final_copies
    runs = " && ".join(args for keyword, args in final if keyword == "RUN")
    assert re.search(r"pip install --no-cache-dir \S+/pestgesprek-\*\.whl", runs), runs
    assert " -e " not in runs and "pybabel" not in runs
    # The image refuses to build without the catalogs, as the bot refuses to start.
    assert "require_compiled_catalogs" in runs
    env = " ".join(args for keyword, args in final if keyword == "ENV")
    assert "DATABASE_URL=sqlite+aiosqlite:////data/" in env
    assert any(keyword == "VOLUME" and "/data" in args for keyword, args in final)


def test_dockerignore_keeps_secrets_out() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    for pattern in (".env", ".venv", "data", ".git"):
        assert pattern in ignored, f"{pattern} would be sent to the docker build"
