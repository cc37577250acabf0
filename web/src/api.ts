// The explorer's only data source: the public GraphQL API of the server that served it.
export class ApiError extends Error {}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
  if (!body || body.errors?.length || !body.data) {
    const messages = body?.errors?.map((error) => error.message).join("; ") ?? `HTTP ${response.status}`;
    throw new ApiError(messages);
  }
  return body.data;
}
