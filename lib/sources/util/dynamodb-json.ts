import { isRec, type Rec } from "./fields";

// DynamoDB JSON: every attribute value is an object with one type descriptor key (S string, N number as a string,
// BOOL, NULL, M map, L list, SS / NS / BS sets, B base64 binary). It is what `aws dynamodb scan` prints
// ({"Items": [...]}) and what a table export to S3 in DYNAMODB_JSON format writes, one {"Item": {...}} per line:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html

const TYPES = new Set(["S", "N", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "B"]);

/** One typed attribute value ({"S": "x"}), by its shape. */
function isAttributeValue(v: unknown): v is Rec {
  if (!isRec(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && TYPES.has(keys[0]);
}

/** A DynamoDB item: a non-empty map whose every value is a typed attribute value. */
export function isDynamoItem(v: unknown): v is Rec {
  if (!isRec(v)) return false;
  const values = Object.values(v);
  return values.length > 0 && values.every(isAttributeValue);
}

function plain(v: Rec): unknown {
  const [type] = Object.keys(v);
  const x = v[type];
  switch (type) {
    case "N":
      // Numbers are kept as their text when they do not fit a double exactly (ids, epoch nanoseconds).
      return typeof x === "string" && Number.isSafeInteger(Number(x)) ? Number(x) : x;
    case "NS":
      return Array.isArray(x) ? x.map((n) => (typeof n === "string" && Number.isSafeInteger(Number(n)) ? Number(n) : n)) : x;
    case "NULL":
      return null;
    case "M":
      return isRec(x) ? unmarshallItem(x) : x;
    case "L":
      return Array.isArray(x) ? x.map((e) => (isAttributeValue(e) ? plain(e) : e)) : x;
    default:
      return x; // S, BOOL, SS, B, BS: the value itself
  }
}

/** A DynamoDB item as plain JSON ({"id": {"S": "r1"}} → {"id": "r1"}). */
export function unmarshallItem(item: Rec): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(item)) out[k] = isAttributeValue(v) ? plain(v) : v;
  return out;
}

/**
 * A record that may be DynamoDB JSON as plain JSON: an S3 export line ({"Item": {...}}) or a scan item; any other
 * record is returned as it is.
 */
export function plainDynamoRecord(r: Rec): Rec {
  const item = r.Item;
  if (Object.keys(r).length === 1 && isDynamoItem(item)) return unmarshallItem(item);
  return isDynamoItem(r) ? unmarshallItem(r) : r;
}
