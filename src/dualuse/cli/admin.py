"""Administration: API keys, the audit log, and the HTTP server."""

from __future__ import annotations

import contextlib
import os
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from dualuse.cli.common import console, print_json, settings_from
from dualuse.settings import ENV_PREFIX, Settings
from dualuse.storage import apikeys, audit
from dualuse.storage.db import make_engine

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
        typer.Option(help="Comma-separated roles: screener, reviewer, operator, device, admin."),
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
def audit_verify(ctx: typer.Context) -> None:
    """Check every link of the hash chain; exit 2 naming the first broken record."""
    engine = make_engine(settings_from(ctx).db_url)
    count = audit.verify_chain(engine)
    seq, digest = audit.head(engine)
    console.print(f"audit log intact: {count} records, head {seq} {digest}")


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
    """Run the HTTP API (OpenAPI spec at /openapi.json, docs at /docs)."""
    import uvicorn

    settings = settings_from(ctx)
    bind_host, bind_port = host or settings.api.host, port or settings.api.port
    if workers == 1:
        from dualuse.api.app import create_app

        uvicorn.run(create_app(settings), host=bind_host, port=bind_port, log_level="info")
        return
    # worker processes build their app from the environment: pass the two settings
    # the command line can change
    os.environ[f"{ENV_PREFIX}HOME"] = str(settings.home)
    if settings.database_url:
        os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    _serve_processes(workers, bind_host, bind_port)


def _serve_processes(workers: int, host: str, port: int) -> None:
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
