import { describe, expect, it } from "vitest";
import { isDynamoItem, plainDynamoRecord, unmarshallItem } from "./dynamodb-json";

describe("DynamoDB JSON", () => {
  it("unmarshalls every attribute type, nested maps and lists", () => {
    expect(
      unmarshallItem({
        s: { S: "x" },
        n: { N: "3" },
        big: { N: "12345678901234567890" },
        b: { BOOL: false },
        nul: { NULL: true },
        m: { M: { k: { S: "v" } } },
        l: { L: [{ S: "a" }, { N: "1" }] },
        ss: { SS: ["a", "b"] },
        ns: { NS: ["1", "2"] },
      }),
    ).toEqual({ s: "x", n: 3, big: "12345678901234567890", b: false, nul: null, m: { k: "v" }, l: ["a", 1], ss: ["a", "b"], ns: [1, 2] });
  });

  it("reads an S3 export line and a scan item; leaves plain JSON alone", () => {
    expect(plainDynamoRecord({ Item: { id: { S: "r1" } } })).toEqual({ id: "r1" });
    expect(plainDynamoRecord({ id: { S: "r1" }, n: { N: "2" } })).toEqual({ id: "r1", n: 2 });
    const plain = { id: "r1", status: { S: "x" } }; // one typed-looking value is not an item
    expect(plainDynamoRecord(plain)).toBe(plain);
    expect(isDynamoItem({})).toBe(false);
    expect(isDynamoItem({ a: { S: "x", N: "1" } })).toBe(false);
  });
});
