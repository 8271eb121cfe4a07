"""The entity clients and their runtime (``_entity``) on a small agent made from IR factories
(``tests/entity_support.py``), generated once for the module and called over real HTTP on
loopback: paths and their parts, error statuses, the JSON Patch builder and Merge Patch, and the OData
iterators walking pages, sync and async.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import weakref
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from emit_support import Generated, forget, format_python, generate_package, make_importable
from entity_support import entity_agent
from http_support import TLS
from rest_support import Answer, Seen, WebApi, serving

PACKAGE = "entityunit"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    packages: list[Generated] = []
    generated = generate_package([entity_agent()], PACKAGE, tmp_path_factory.mktemp("entity"))
    try:
        yield make_importable(generated, packages).module("user")
    finally:
        forget(packages)


@pytest.fixture(scope="module")
def entities(package: ModuleType) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.user.entities")


@pytest.fixture(scope="module")
def webapi() -> Iterator[WebApi]:
    with serving() as api:
        yield api


@pytest.fixture
def users(entities: ModuleType, webapi: WebApi) -> Iterator[Any]:
    with httpx.Client(verify=TLS, base_url=webapi.base_url) as client:
        yield entities.UserEntities(client, auth=entities._rest.Auth.so_ticket("7T:x"))


def _json_answer(value: object, status: int = 200) -> Answer:
    return Answer(status, json.dumps(value).encode())


def test_the_module_is_as_black_prints_it(tmp_path: Path, entities: ModuleType) -> None:
    text = Path(entities.__file__).read_text(encoding="utf-8")
    assert format_python(text) == text


# --- Paths and error statuses ---------------------------------------------------------------------------


def test_a_path_part_is_filled_in_and_the_answer_read(users: Any, webapi: WebApi) -> None:
    webapi.answer(200, b'{"AssociateId": 5, "Name": "jdoe", "Type": "External"}')
    user = users.get_user(5, fk=True, select=["Name"])
    seen = webapi.last()
    assert (seen.method, seen.path) == ("GET", "/Cust12345/api/v1/User/5")
    assert seen.query == [("fk", "true"), ("$select", "Name")]
    assert seen.headers["authorization"] == "SoTicket 7T:x"
    assert (user.associate_id, user.name, user.type_.name) == (5, "jdoe", "EXTERNAL")


def test_a_query_option_left_out_is_not_sent(users: Any, webapi: WebApi) -> None:
    webapi.answer(200, b"{}")
    users.get_user(5)
    assert webapi.last().query == []


def test_a_text_path_part_is_one_segment_however_it_reads(users: Any, webapi: WebApi) -> None:
    webapi.answer(204)
    users.delete_user_from_name("a/b ?#%")
    assert webapi.last().raw_path == "/Cust12345/api/v1/User/ByName/a%2Fb%20%3F%23%25"
    for reaching_elsewhere in ("", ".", ".."):
        with pytest.raises(ValueError, match="name cannot be"):
            users.delete_user_from_name(reaching_elsewhere)


def test_a_path_part_of_the_wrong_type_is_refused(users: Any) -> None:
    with pytest.raises(TypeError, match=r"get_user\(\): id_ must be an int"):
        users.get_user("5")


STATUS_ERRORS = {404: "NotFound", 409: "Conflict", 412: "PreconditionFailed"}


@pytest.mark.parametrize(("status", "name"), STATUS_ERRORS.items())
def test_a_status_with_its_own_class_raises_it_from_every_call_sync_and_async(
    package: ModuleType, entities: ModuleType, users: Any, webapi: WebApi, status: int, name: str
) -> None:
    kind = getattr(package, name)
    assert issubclass(kind, package.RestError)
    error = b'{"Message": "An error has occurred.", "ExceptionMessage": "User 7 changed"}'
    webapi.answer(status, error)
    patch = entities.UserPatch().test("name", "jdoe")
    for call in (lambda: users.get_user(7), lambda: users.patch_user(7, patch)):
        with pytest.raises(kind) as raised:
            call()
        assert raised.value.status == status and raised.value.message == "User 7 changed"

    async def delete() -> object:
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            return await entities.AsyncUserEntities(client).delete_user(7)

    with pytest.raises(kind):
        asyncio.run(delete())


def test_another_error_status_raises_a_plain_rest_error(
    package: ModuleType, users: Any, webapi: WebApi
) -> None:
    webapi.answer(400, b'{"Message": "Entity to save is not in request body."}')
    with pytest.raises(package.RestError) as raised:
        users.delete_user(7)
    assert type(raised.value) is package.RestError


def test_raises_names_the_errors_of_the_statuses_the_page_lists(entities: ModuleType) -> None:
    def raised(method: Any) -> list[str]:
        section = method.__doc__.split("Raises:")[1]
        return [line.split(":")[0].strip() for line in section.splitlines() if ": " in line]

    every = ["RestError", "TransportError", "TypeError", "ValueError"]
    clients = (entities.UserEntities, entities.AsyncUserEntities)
    for client in clients:
        assert raised(client.get_user) == ["NotFound", *every]
        assert raised(client.put_user) == ["NotFound", "PreconditionFailed", *every]
        assert raised(client.patch_user) == ["NotFound", "Conflict", "PreconditionFailed", *every]
        assert raised(client.post_user) == raised(client.get_all) == every
        assert raised(client.iter_all) == ["PagingError", *every]


def test_a_refused_bearer_token_is_asked_again_once_and_the_call_sent_again(
    package: ModuleType, entities: ModuleType, webapi: WebApi
) -> None:
    """Entity calls go through the credentials of the WebAPI clients (``_auth``): a 401
    renews a token source once, and a second 401 is the caller's."""
    tokens = iter(["old", "new", "newer"])
    webapi.respond(
        lambda seen: (
            Answer(200, b'{"AssociateId": 5}')
            if seen.headers["authorization"] == "Bearer new"
            else Answer(401, b'{"Message": "token expired"}')
        )
    )
    source = package.BearerSource(lambda: next(tokens))
    with httpx.Client(verify=TLS, base_url=webapi.base_url) as client:
        users = entities.UserEntities(client, auth=source)
        assert users.get_user(5).associate_id == 5
        webapi.answer(401, b'{"Message": "token expired"}')
        with pytest.raises(package.RestError) as refused:
            users.get_user(5)
    assert refused.value.status == 401
    assert [seen.headers["authorization"] for seen in webapi.server.seen[-4:]] == [
        "Bearer old",
        "Bearer new",
        "Bearer new",
        "Bearer newer",
    ]


def test_put_and_post_send_the_model_as_the_body(
    entities: ModuleType, users: Any, webapi: WebApi
) -> None:
    models = entities.User.__module__
    assert models.endswith(".models")
    webapi.answer(200, b'{"AssociateId": 9}')
    user = entities.User(associate_id=9, name="jdoe")
    assert users.put_user(9, user).associate_id == 9
    seen = webapi.last()
    assert (seen.method, seen.path) == ("PUT", "/Cust12345/api/v1/User/9")
    assert seen.json()["Name"] == "jdoe"
    users.post_user(user)
    assert (webapi.last().method, webapi.last().path) == ("POST", "/Cust12345/api/v1/User")


def test_a_file_goes_as_the_body_with_its_media_type(users: Any, webapi: WebApi) -> None:
    webapi.answer(200, b"42")
    assert users.save_image(5, b"\x89PNG", content_type="image/png") == 42
    seen = webapi.last()
    assert (seen.path, seen.body) == ("/Cust12345/api/v1/User/5/Image", b"\x89PNG")
    assert seen.headers["content-type"] == "image/png"
    with pytest.raises(ValueError, match="content_type must be a media type"):
        users.save_image(5, b"x", content_type="image/png\r\nX-Injected: 1")
    with pytest.raises(TypeError, match="the file must be bytes"):
        users.save_image(5, "x")


# --- Patches -----------------------------------------------------------------------------------


def test_a_json_patch_names_fields_by_their_python_names_and_writes_wire_names(
    entities: ModuleType,
) -> None:
    patch = (
        entities.UserPatch()
        .test("associate_id", 5)
        .replace("name", "jdoe")
        .add("type_", entities.UserType.EXTERNAL)
        .remove("tooltip")
        .replace("person", entities.Person(firstname="Jo"))
    )
    assert patch.document() == [
        {"op": "test", "path": "/AssociateId", "value": 5},
        {"op": "replace", "path": "/Name", "value": "jdoe"},
        {"op": "add", "path": "/Type", "value": "External"},
        {"op": "remove", "path": "/Tooltip"},
        {"op": "replace", "path": "/Person", "value": {"Firstname": "Jo"}},
    ]
    assert repr(patch).startswith("UserPatch([test /AssociateId, replace /Name,")
    assert "jdoe" not in repr(patch)


def test_a_json_patch_is_a_new_patch_at_each_step(entities: ModuleType) -> None:
    empty = entities.UserPatch()
    one = empty.replace("name", "a")
    assert empty.document() == [] and len(one.document()) == 1


def test_a_patch_refuses_a_value_of_the_wrong_type_and_an_unknown_field(
    entities: ModuleType,
) -> None:
    with pytest.raises(TypeError, match=r"UserPatch.replace\(\): associate_id must be an int"):
        entities.UserPatch().replace("associate_id", "5")
    with pytest.raises(TypeError, match="User has no field 'nmae'"):
        entities.UserPatch().remove("nmae")
    with pytest.raises(TypeError, match=r"UserMergePatch.__init__\(\): name must be a str"):
        entities.UserMergePatch({"name": 5})


def test_a_merge_patch_sets_the_fields_given_and_clears_those_given_none(
    entities: ModuleType,
) -> None:
    merge = entities.UserMergePatch({"name": "jdoe", "tooltip": None, "associate_id": 0})
    assert merge.document() == {"Name": "jdoe", "Tooltip": None, "AssociateId": 0}
    assert repr(merge) == "UserMergePatch(Name, Tooltip, AssociateId)"


def test_patches_go_out_with_their_media_types(
    entities: ModuleType, users: Any, webapi: WebApi
) -> None:
    webapi.answer(200, b'{"AssociateId": 5, "Name": "jdoe"}')
    user = users.patch_user(5, entities.UserPatch().replace("name", "jdoe"))
    seen = webapi.last()
    assert (seen.method, seen.path) == ("PATCH", "/Cust12345/api/v1/User/5")
    assert seen.headers["content-type"] == "application/json-patch+json"
    assert seen.json() == [{"op": "replace", "path": "/Name", "value": "jdoe"}]
    assert user.name == "jdoe"
    users.patch_user(5, entities.UserMergePatch({"name": "jdoe"}))
    assert webapi.last().headers["content-type"] == "application/merge-patch+json"
    assert webapi.last().json() == {"Name": "jdoe"}
    with pytest.raises(TypeError, match="must be a UserPatch or a UserMergePatch"):
        users.patch_user(5, [{"op": "remove", "path": "/Name"}])


# --- OData lists ---------------------------------------------------------------------------------


class Rows:
    """An OData list of ``total`` rows, a page of at most ``cap`` rows a request (the
    server's own limit), with ``odata.nextLink`` while rows remain when ``links``."""

    def __init__(self, total: int, cap: int = 1000, links: bool = False) -> None:
        self.total, self.cap, self.links = total, cap, links
        self.asked: list[tuple[int, int]] = []

    def __call__(self, seen: Seen) -> Answer:
        query = dict(seen.query)
        top, skip = int(query["$top"]), int(query["$skip"])
        self.asked.append((top, skip))
        end = min(skip + top, skip + self.cap, self.total)
        page: dict[str, object] = {"value": [{"id": n} for n in range(skip, end)]}
        if self.links and end < self.total:
            page["odata.nextLink"] = f"User?$skip={end}"
        return _json_answer(page)


def test_the_rows_come_a_page_at_a_time_until_a_short_page(users: Any, webapi: WebApi) -> None:
    rows = Rows(7)
    webapi.respond(rows)
    walk = users.iter_all(page_size=3, filter_="name begins 'S'")
    assert rows.asked == []
    taken = [next(walk) for _ in range(3)]
    assert rows.asked == [(3, 0)]
    taken += list(walk)
    assert [row["id"] for row in taken] == list(range(7))
    assert rows.asked == [(3, 0), (3, 3), (3, 6)]
    assert ("$filter", "name begins 'S'") in webapi.last().query


def test_a_full_last_page_ends_at_the_empty_one_after(users: Any, webapi: WebApi) -> None:
    rows = Rows(6)
    webapi.respond(rows)
    assert len(list(users.iter_all(page_size=3))) == 6
    assert rows.asked == [(3, 0), (3, 3), (3, 6)]


def test_a_short_page_with_a_next_link_is_the_servers_page_size(users: Any, webapi: WebApi) -> None:
    rows = Rows(5, cap=2, links=True)
    webapi.respond(rows)
    assert [row["id"] for row in users.iter_all(page_size=3)] == [0, 1, 2, 3, 4]
    assert rows.asked == [(3, 0), (3, 2), (3, 4)]


def test_the_limit_asks_for_no_row_past_it(users: Any, webapi: WebApi) -> None:
    rows = Rows(100)
    webapi.respond(rows)
    assert len(list(users.iter_all(page_size=3, limit=4))) == 4
    assert rows.asked == [(3, 0), (1, 3)]
    assert list(users.iter_all(limit=0)) == []


def test_a_list_below_an_id_walks_with_its_path_part(users: Any, webapi: WebApi) -> None:
    webapi.respond(Rows(2))
    assert len(list(users.iter_user_rows(8, page_size=5))) == 2
    assert webapi.last().path == "/Cust12345/api/v1/User/8/Rows"


def test_page_size_and_limit_are_checked_when_asked_for(users: Any) -> None:
    with pytest.raises(ValueError, match="page_size must be from 1"):
        users.iter_all(page_size=0)
    with pytest.raises(ValueError, match="limit must be from 0"):
        users.iter_all(limit=-1)
    with pytest.raises(TypeError, match="page_size must be an int"):
        users.iter_all(page_size=True)


def test_no_more_than_one_page_is_held(entities: ModuleType, users: Any, webapi: WebApi) -> None:
    """Each page the walk is given is let go before the next is asked for: the rows
    taken are the caller's, and the walk keeps none of a page it has given out."""
    webapi.respond(Rows(10))
    pages: list[weakref.ref[list[Any]]] = []

    class Held(list[Any]):
        """A page's rows that a weak reference can watch."""

    def fetch(top: int, skip: int) -> Any:
        assert all(page() is None for page in pages), "an earlier page is still held"
        got = users.get_all(top=top, skip=skip)
        held = Held(got.rows)
        pages.append(weakref.ref(held))
        return entities._entity.Page(held, got.next_link)

    assert sum(1 for _ in entities._entity.rows(fetch, 3, None)) == 10
    assert len(pages) == 4


def test_a_page_that_is_no_odata_list_is_malformed(
    package: ModuleType, users: Any, webapi: WebApi
) -> None:
    for body in ({"value": [1, 2]}, {"rows": []}, [], {"value": [], "odata.nextLink": 3}):
        webapi.answer(200, json.dumps(body).encode())
        with pytest.raises(package.MalformedRestResponse):
            users.get_all()


def _same_page(seen: Seen) -> Answer:
    """A server that ignores ``$skip``: the first ``$top`` rows, whatever is asked."""
    top = int(dict(seen.query)["$top"])
    return _json_answer({"value": [{"id": n} for n in range(top)]})


def test_a_page_repeating_the_one_before_ends_the_walk_with_a_paging_error(
    package: ModuleType, entities: ModuleType, users: Any, webapi: WebApi
) -> None:
    """A server that ignores ``$skip`` answers every page with the first: the walk gives
    the first page's rows, then raises, sync and async, rather than walk forever."""
    assert issubclass(package.PagingError, package.MalformedRestResponse)
    webapi.respond(_same_page)
    webapi.server.seen.clear()
    walk = users.iter_all(page_size=3)
    assert [next(walk)["id"] for _ in range(3)] == [0, 1, 2]
    with pytest.raises(package.PagingError, match=r"at \$skip=3 repeats the page before"):
        next(walk)
    assert len(webapi.server.seen) == 2

    async def walk_async() -> list[Any]:
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            found = entities.AsyncUserEntities(client).iter_all(page_size=3)
            return [row async for row in found]

    with pytest.raises(package.PagingError):
        asyncio.run(walk_async())


def test_a_page_longer_than_asked_ends_the_walk_with_a_paging_error(
    package: ModuleType, entities: ModuleType, users: Any, webapi: WebApi
) -> None:
    """A server that ignores ``$top`` answers with more rows than asked: no row of it is
    given, sync and async."""
    webapi.answer(200, json.dumps({"value": [{"id": n} for n in range(10)]}).encode())
    with pytest.raises(package.PagingError, match="holds 10 rows, more than the 4 asked for"):
        next(users.iter_all(page_size=4))

    async def first() -> object:
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            return await anext(entities.AsyncUserEntities(client).iter_all(page_size=4))

    with pytest.raises(package.PagingError):
        asyncio.run(first())


def test_a_server_ignoring_skip_is_caught_whatever_next_link_it_makes(
    package: ModuleType, users: Any, webapi: WebApi
) -> None:
    """A server that ignores ``$skip`` but makes each ``odata.nextLink`` from the request's
    (as a WebAPI builds it) answers the same full page each time: the walk gives it once,
    then ends with ``PagingError``, not the same rows for ever."""

    def ignoring_skip(seen: Seen) -> Answer:
        skip = int(dict(seen.query)["$skip"])
        page = {"value": [{"id": 0}, {"id": 1}], "odata.nextLink": f"User?$skip={skip + 2}"}
        return _json_answer(page)

    webapi.respond(ignoring_skip)
    walk = users.iter_all(page_size=2)
    assert [next(walk)["id"] for _ in range(2)] == [0, 1]
    with pytest.raises(package.PagingError, match="repeats the page before"):
        next(walk)


def test_the_async_iterator_walks_the_same_pages(entities: ModuleType, webapi: WebApi) -> None:
    rows = Rows(5)
    webapi.respond(rows)

    async def walk() -> list[Any]:
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            found: AsyncIterator[Any] = entities.AsyncUserEntities(client).iter_all(
                page_size=2, mode=entities.Mode.FULL
            )
            return [row async for row in found]

    assert [row["id"] for row in asyncio.run(walk())] == [0, 1, 2, 3, 4]
    assert rows.asked == [(2, 0), (2, 2), (2, 4)]
    assert ("$mode", "Full") in webapi.last().query
