import {describe, expect, it} from "vitest";

import {routeHash, parseRoute} from "../../../web/src/router.js";
import {
  projectorParams,
  readProjectorParams,
  type ProjectorUrlState
} from "../../../web/src/views/projector/urlState.js";

/** Through the hash and back, as the browser sees it. */
function roundTrip(state: ProjectorUrlState): {hash: string; read: ProjectorUrlState} {
  const hash = routeHash("projector", projectorParams(state, "umap"));
  return {hash, read: readProjectorParams(parseRoute(hash).params, 10000, "umap")};
}

const DEFAULT: ProjectorUrlState = {method: "umap", dim: 2, colouring: "label", query: "", k: 10};

describe("projectorParams(state) / readProjectorParams(params)", () => {
  it("leaves the defaults out: the plain route is the default view", () => {
    const {hash, read} = roundTrip(DEFAULT);
    expect(hash).toBe("#/projector");
    expect(read).toEqual({...DEFAULT, selection: undefined, camera: undefined, custom: undefined});
  });

  it("keeps every choice, readable in the address bar", () => {
    const state: ProjectorUrlState = {
      method: "custom",
      dim: 2,
      colouring: "correct",
      query: "predicted:Shirt",
      selection: [3, 10, 11, 12],
      k: 20,
      camera: [0.123456, -0.5, 3.25],
      custom: {xFrom: "Shirt", xTo: "T-shirt/top", yFrom: "", yTo: ""}
    };
    const {hash, read} = roundTrip(state);
    expect(hash).toBe(
      "#/projector?method=custom&colour=correct&q=predicted:Shirt&sel=3,10-12&k=20&cam=0.1235,-0.5,3.25&xfrom=Shirt&xto=T-shirt%2Ftop"
    );
    expect(read).toEqual({...state, camera: [0.1235, -0.5, 3.25]});
  });

  it("tells an empty selection (sel=) from none (the search's matches)", () => {
    expect(roundTrip({...DEFAULT, query: "wrong", selection: []}).read.selection).toEqual([]);
    expect(roundTrip({...DEFAULT, query: "wrong"}).read.selection).toBeUndefined();
  });

  it("reads unknown or damaged values as the defaults", () => {
    const params = new URLSearchParams("method=lda&dim=4&colour=blue&k=7&cam=1,x,2&sel=b:!!");
    expect(readProjectorParams(params, 10000, "tsne")).toEqual({
      ...DEFAULT,
      method: "tsne",
      selection: [],
      camera: undefined,
      custom: undefined
    });
  });
});
