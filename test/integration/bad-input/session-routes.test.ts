import { type Case, HEX17, refusalSuite } from "../../support/bad-input.js";

// GET, extend and DELETE of /sessions/{id} with ids and bodies that name no session.

const paths: Case[] = [
  { name: "GET of a session that does not exist", route: "get", id: "vpc-0000000000000dead", status: 404, code: "not_found", field: "id" },
  { name: "GET of a path traversal", route: "get", id: "../../etc/passwd", status: 404, code: "not_found", field: "id" },
  { name: "GET of an empty id", route: "get", id: "", status: 404, code: "not_found", field: "id" },
  { name: "GET of a 2000-character id", route: "get", id: "vpc-".padEnd(2000, "f"), status: 404, code: "not_found", field: "id" },
  {
    name: "DELETE of a session that does not exist",
    route: "close",
    id: "vpc-0000000000000dead",
    status: 404,
    code: "not_found",
    field: "id",
  },
  { name: "DELETE by instance id", route: "close", id: `i-${HEX17}`, status: 404, code: "not_found", field: "id" },
  { name: "DELETE of a stack-name-shaped id", route: "close", id: `ssm-knock-vpc-${HEX17}`, status: 404, code: "not_found", field: "id" },
  {
    name: "extend of a session that does not exist",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: "1h" }),
    status: 404,
    code: "not_found",
    field: "id",
  },
  {
    name: "extend with a malformed TTL",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: "forever" }),
    status: 400,
    code: "invalid_request",
    field: "ttl",
  },
  {
    name: "extend with no TTL",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({}),
    status: 400,
    code: "invalid_request",
    field: "ttl",
  },
  {
    name: "extend with an unknown field",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: "1h", expiresAt: "2099-01-01T00:00:00Z" }),
    status: 400,
    code: "invalid_request",
    field: "expiresAt",
  },
  {
    name: "extend with a zero TTL",
    route: "extend",
    id: "vpc-0000000000000dead",
    body: () => ({ ttl: 0 }),
    status: 400,
    code: "invalid_request",
    field: "ttl",
  },
];

refusalSuite("/sessions/{id}: ids that name no session, bad extensions", { "path ids": paths });
