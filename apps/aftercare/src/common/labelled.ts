/** The Chinese label of each enum value as its GraphQL description (registerEnumType's valuesMap). */
export const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
