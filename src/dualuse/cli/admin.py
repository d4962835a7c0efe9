"""Administration: API keys, the audit log, and the HTTP server."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dualuse.cli.common import console, print_json, settings_from
from dualuse.settings import ENV_PREFIX, Settings
from dualuse.storage import apikeys, audit, checkpoints
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import PublicKey

if TYPE_CHECKING:
    from fastapi import FastAPI
    from uvicorn import Config

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
audit_app = typer.Typer(
    help="Inspect and verify the tamper-evident audit log.", no_args_is_help=True
)


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    roles: Annotated[
        str,
        typer.Option(
            help="Comma-separated roles: screener, submitter, reviewer, approver, auditor, "
            "operator, device, admin."
        ),
    ] = "screener",
    device: Annotated[
        str | None,
        typer.Option(help="Bind the key to this device id (required with the device role)."),
    ] = None,
) -> None:
    """Create a key; the key itself is printed once and never stored."""
    settings = settings_from(ctx)
    engine = make_engine(settings.db_url)
    scope = f"device:{device}" if device else None
    key_id, key = apikeys.create_key(engine, name, apikeys.parse_roles(roles), scope=scope)
    audit.append(
        engine,
        actor="cli",
        action="apikey.create",
        subject=f"apikey:{key_id}",
        payload={"name": name, "roles": roles, "scope": scope},
    )
    console.print(f"key id {key_id}; store the key now, it is not shown again:")
    typer.echo(key)


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """List keys (ids, names, roles; never secrets)."""
    print_json(apikeys.list_keys(make_engine(settings_from(ctx).db_url)))


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: str) -> None:
    """Revoke a key by its id."""
    engine = make_engine(settings_from(ctx).db_url)
    apikeys.revoke_key(engine, key_id)
    audit.append(engine, actor="cli", action="apikey.revoke", subject=f"apikey:{key_id}")
    console.print(f"revoked {key_id}")


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            help="Also check a signed checkpoint (repeatable): catches deleted last records "
            "and a log rewritten with recomputed hashes."
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(help="Public key the checkpoints must be signed by (default: the key's)."),
    ] = None,
) -> None:
    """Check every link of the hash chain; exit 2 naming the first broken record."""
    settings = settings_from(ctx)
    engine = make_engine(settings.db_url)
    count = audit.verify_chain(engine)
    if checkpoint:
        trusted = (
            PublicKey.from_file(public_key)
            if public_key
            else checkpoints.load_signer(settings.checkpoint_key).public
        )
        for path in checkpoint:
            signed = checkpoints.read(path)
            checkpoints.check(engine, signed, trusted)
            console.print(f"checkpoint {path}: {signed.count} records as signed at {signed.at}")
    seq, digest = audit.head(engine)
    console.print(f"audit log intact: {count} records, head {seq} {digest}")


@audit_app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="File to write the signed checkpoint to.")],
    key: Annotated[
        Path | None,
        typer.Option(help="Ed25519 private key (PEM); default the audit_key_file setting."),
    ] = None,
) -> None:
    """Sign the log's length and head hash (Ed25519; the key is created on first use).

    Keep the file away from the database; `audit verify --checkpoint FILE` checks it.
    """
    settings = settings_from(ctx)
    engine = make_engine(settings.db_url)
    signer = checkpoints.load_signer(key or settings.checkpoint_key, create=True)
    signed = checkpoints.take(engine, signer)
    checkpoints.write(signed, output)
    audit.append(
        engine,
        actor="cli",
        action="audit.checkpoint",
        subject=f"audit:{signed.count}",
        payload={"count": signed.count, "head_hash": signed.head_hash, "key_id": signed.key_id},
    )
    console.print(
        f"checkpoint: {signed.count} records, head {signed.head_hash}, key {signed.key_id} "
        f"-> {output}"
    )


def openapi(ctx: typer.Context) -> None:
    """Print the HTTP API's OpenAPI spec (the server serves it only with a key)."""
    from dataclasses import replace

    from dualuse.api.app import create_app

    offline = replace(settings_from(ctx), database_url="sqlite://")  # no database touched
    print_json(create_app(offline).openapi())


@audit_app.command("show")
def audit_show(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(help="Only records about this subject.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many records.")] = 100,
) -> None:
    """Print audit records as JSON."""
    engine = make_engine(settings_from(ctx).db_url)
    print_json(audit.records(engine, subject=subject, limit=limit))


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes (one per core); each loads its own copy of the "
            "screening index once (0.04-0.2 s) and serves requests concurrently.",
        ),
    ] = 1,
) -> None:
    """Run the HTTP API (every route but /healthz needs a key, /openapi.json included)."""
    import uvicorn

    settings = settings_from(ctx)
    bind_host, bind_port = host or settings.api.host, port or settings.api.port
    if workers == 1:
        from dualuse.api.app import create_app

        uvicorn.run(
            create_app(settings),
            host=bind_host,
            port=bind_port,
            log_level="info",
            timeout_keep_alive=settings.api.keep_alive_s,
        )
        return
    # worker processes build their app from the environment: pass the two settings
    # the command line can change
    os.environ[f"{ENV_PREFIX}HOME"] = str(settings.home)
    if settings.database_url:
        os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    _serve_processes(workers, bind_host, bind_port, settings.api.keep_alive_s)


def _serve_processes(workers: int, host: str, port: int, keep_alive_s: int) -> None:
    """``uvicorn.run(..., workers=N)``, listening on :func:`tcp_listener`."""
    from uvicorn import Config
    from uvicorn.supervisors import Multiprocess

    config = Config(
        "dualuse.cli.admin:app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        timeout_keep_alive=keep_alive_s,
    )
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[tcp_listener(config)]).run()


def tcp_listener(config: Config) -> socket.socket:
    """The listening socket of ``config``, declaring TCP: uvicorn binds it with
    protocol 0, so asyncio never sets ``TCP_NODELAY`` on accepted connections and
    every keep-alive request waits ~40 ms for a delayed ACK (uvicorn issue #3149;
    measured here: ``/healthz`` 45 ms with two workers, 1.3 ms with this socket)."""
    bound = config.bind_socket()
    return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, bound.detach())


def app_from_env() -> FastAPI:
    """The API app of one ``serve --workers`` process, with settings from ``DUALUSE_*``."""
    from dualuse.api.app import create_app

    return create_app(Settings.from_env())


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
    app.command("serve")(serve)
    app.command("openapi")(openapi)
