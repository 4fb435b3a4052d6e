/** The empty module of the cold-start section: what starting Node and importing nothing costs. */
export const handler = async () => ({ statusCode: 200 });
