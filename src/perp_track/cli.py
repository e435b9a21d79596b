"""perp-track: serve | worker | dispatch | migrate | create-organisation | create-user |
retention | demo."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from perp_track.auth.rules import Role
from perp_track.config import ConfigurationError, Settings, load_settings
from perp_track.orgs.rules import OrgKind

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        print(f"perp-track: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings()
    uvicorn.run(
        "perp_track.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        proxy_headers=True,
        log_level=settings.log_level.lower(),
        workers=args.workers or settings.web_processes,
        # No route is a websocket: uvicorn need not import a websocket implementation.
        ws="none",
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from perp_track.clock import SystemClock
    from perp_track.jobs.services import JobResult
    from perp_track.scheduler import process_owner, run_all_once, run_worker

    settings = _settings()
    if args.once:

        async def once() -> list[JobResult]:
            return await run_all_once(settings, SystemClock(), process_owner())

        results = asyncio.run(_with_engine(settings, once))
        for result in results:
            print(f"{result.name:<32} {result.outcome:<8} {result.summary}")
        return 1 if any(r.outcome == "error" for r in results) else 0

    async def forever() -> None:
        await run_worker(settings, SystemClock())

    # Passes side by side, their lease heartbeats and the other jobs each need a connection.
    asyncio.run(_with_engine(settings, forever, settings.database_pool_size))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from perp_track.migrate import migrate

    ok = asyncio.run(migrate(_settings(), backwards_to=args.backwards))
    return 0 if ok else 1


async def _with_engine(
    settings: Settings, work: Callable[[], Awaitable[T]], pool_size: int = 2
) -> T:
    from perp_track import db

    engine = db.use_engine(db.make_engine(settings))
    await db.start(engine, pool_size, settings)
    try:
        return await work()
    finally:
        await db.stop(engine)


def cmd_create_user(args: argparse.Namespace) -> int:
    from perp_track.auth.services import create_user
    from perp_track.clock import SystemClock
    from perp_track.errors import DomainError

    settings = _settings()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("perp-track: the passwords differ", file=sys.stderr)
            return 2

    async def work() -> None:
        user = await create_user(
            email=args.email,
            full_name=args.name,
            role=Role(args.role),
            organisation_id=args.organisation,
            password=password,
            language=args.language,
            clock=SystemClock(),
        )
        print(f"created user {user.id}: {user.email} ({user.role})")

    try:
        asyncio.run(_with_engine(settings, work))
    except DomainError as exc:
        print(f"perp-track: {exc.message}", file=sys.stderr)
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from perp_track.demo.load import load_demo

    settings = _settings()

    async def work() -> bool:
        return await load_demo(secret_key=settings.secret_key)

    loaded = asyncio.run(_with_engine(settings, work))
    from perp_track.demo.people import DEMO_PASSWORD, DEMO_USERS

    print("Demo data loaded." if loaded else "The demo data was already there; nothing changed.")
    print(f"Demo logins (password for every account: {DEMO_PASSWORD}):")
    for user in DEMO_USERS:
        print(f"  {user.role:<18} {user.email}")
    return 0


def cmd_create_organisation(args: argparse.Namespace) -> int:
    from perp_track.orgs.services import create_organisation

    async def work() -> int:
        return await create_organisation(
            name=args.name,
            kind=OrgKind(args.kind),
            code=args.code,
            language=args.language,
            email=args.email,
        )

    org_id = asyncio.run(_with_engine(_settings(), work))
    print(f"created organisation {org_id}: {args.name} ({args.kind})")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from perp_track.clock import SystemClock
    from perp_track.privacy.schemas import RetentionReport
    from perp_track.privacy.services import run_retention

    settings = _settings()

    async def work() -> RetentionReport:
        return await run_retention(clock=SystemClock(), settings=settings, apply=args.apply)

    report = asyncio.run(_with_engine(settings, work))
    verb = "would be" if report.dry_run else "were"
    print(f"retention ({report.action}), as of {report.as_of.isoformat(timespec='seconds')}:")
    for item in report.items:
        state = "due" if report.dry_run else ("done" if item.done else f"FAILED: {item.error}")
        print(f"  case {item.case_id:>6}  {item.reference:<20} due {item.due_at.date()}  {state}")
    failed = [i for i in report.items if i.error]
    print(f"{len(report.items) - len(failed)} cases {verb} {report.action}d.")
    print(f"{report.old_login_attempts} login attempts past their retention {verb} deleted.")
    if report.dry_run and report.items:
        print("Nothing changed (dry run). Run with --apply to do it.")
    return 1 if failed else 0


def cmd_dispatch(args: argparse.Namespace) -> int:
    from perp_track.clock import SystemClock
    from perp_track.inbox.services import escalate_unacknowledged
    from perp_track.notify.digest import send_digests
    from perp_track.notify.dispatch.batch import Channels, dispatch_once

    settings = _settings()
    clock = SystemClock()

    async def work() -> int:
        channels = Channels.from_settings(settings)
        missing = {"sms", "email", "in_app"} - set(channels.available())
        if missing:
            print(f"not configured, left queued: {', '.join(sorted(missing))}", file=sys.stderr)
        total = 0
        try:
            while True:
                report = await dispatch_once(settings=settings, clock=clock, channels=channels)
                total += report.claimed
                if report.claimed:
                    print(report)
                # --once drains what is due now, then stops; the scheduler calls it again.
                if report.claimed < settings.dispatch_batch_size:
                    break
            digests = await send_digests(settings=settings, clock=clock, channels=channels)
            escalated = await escalate_unacknowledged(settings=settings, clock=clock)
        finally:
            await channels.close()
        print(f"dispatched {total}; digests {digests}; feedback escalated {escalated}")
        return total

    asyncio.run(_with_engine(settings, work))
    return 0


def _processes(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError(f"a number of processes from 1 to 64, not {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perp-track", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the web application and API")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument(
        "--workers",
        type=_processes,
        default=None,
        help="web processes sharing the port (default: WEB_PROCESSES, 1)",
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run only the scheduled jobs (no web server)")
    worker.add_argument("--once", action="store_true", help="run every job once and exit")
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument(
        "--backwards",
        metavar="MIGRATION_ID",
        default=None,
        help="undo migrations down to this id ('all' undoes every one)",
    )
    migrate.set_defaults(func=cmd_migrate)

    org = sub.add_parser("create-organisation", help="create an organisation")
    org.add_argument("--name", required=True)
    org.add_argument("--kind", required=True, choices=[k.value for k in OrgKind])
    org.add_argument("--code", default=None, help="e.g. the police zone number")
    org.add_argument(
        "--email", default=None, help="a police zone's on-duty address: it receives risk alerts"
    )
    org.add_argument("--language", default="fr", choices=["fr", "nl", "de", "en"])
    org.set_defaults(func=cmd_create_organisation)

    user = sub.add_parser("create-user", help="create a user account")
    user.add_argument("--email", required=True)
    user.add_argument("--name", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--organisation", type=int, required=True, help="organisation id")
    user.add_argument("--language", default="fr", choices=["fr", "nl", "de", "en"])
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    user.set_defaults(func=cmd_create_user)

    retention = sub.add_parser(
        "retention", help="pseudonymise or purge the cases whose retention period has run out"
    )
    mode = retention.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list what is due; change nothing")
    mode.add_argument("--apply", action="store_true", help="do it (each case is audited)")
    retention.set_defaults(func=cmd_retention)
    dispatch = sub.add_parser(
        "dispatch", help="send the due notifications (SMS, e-mail, in-app) and escalate feedback"
    )
    dispatch.add_argument(
        "--once",
        action="store_true",
        required=True,
        help="one pass over what is due now (the scheduler runs it periodically)",
    )
    dispatch.set_defaults(func=cmd_dispatch)

    demo = sub.add_parser("demo", help="load the demo data and print the demo logins")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
