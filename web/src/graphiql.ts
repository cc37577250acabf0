// The product's GraphiQL, bundled from npm packages so that it works with no internet.
import "graphiql/graphiql.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { EXAMPLE_OPERATIONS } from "./examples";

const fetcher = createGraphiQLFetcher({ url: new URL("/graphql", window.location.origin).href });
const tabs = EXAMPLE_OPERATIONS.map((query) => ({ query }));
const logo = createElement(GraphiQL.Logo, null, "产教图谱 GraphQL");

createRoot(document.getElementById("graphiql")!).render(
  createElement(GraphiQL, { fetcher, defaultTabs: tabs }, logo),
);
