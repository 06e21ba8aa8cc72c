/**
 * The projector's points as one THREE.Points: per-point position (and the position it moves from),
 * colour, state and sprite index as buffer attributes, drawn by our shaders with each test image's
 * thumbnail from the sprite texture once a point is large enough.
 */
import * as THREE from "three";

import {FRAGMENT_SHADER, VERTEX_SHADER} from "./shaders.js";

export const BACKGROUND = "#15181d";
/** A point's size in layout units (the layout fits the unit ball). */
export const WORLD_SIZE = 0.016;
/** Points at least this many CSS pixels wide show their image. */
export const THUMB_CSS_PX = 15;
/** Points never grow beyond this (CSS pixels): zooming further spreads the images apart. */
export const MAX_CSS_PX = 60;

export interface SpriteSheet {
  grey: Uint8Array;
  side: number;
  cells: number;
}

export interface PointCloud {
  points: THREE.Points;
  geometry: THREE.BufferGeometry;
  material: THREE.ShaderMaterial;
  texture: THREE.DataTexture;
  positions: THREE.BufferAttribute;
  /** Where each point starts a transition from. */
  from: THREE.BufferAttribute;
  colours: THREE.BufferAttribute;
  states: THREE.BufferAttribute;
}

export function createPointCloud(count: number, sprite: SpriteSheet): PointCloud {
  const geometry = new THREE.BufferGeometry();
  const positions = new THREE.BufferAttribute(new Float32Array(count * 3), 3);
  const from = new THREE.BufferAttribute(new Float32Array(count * 3), 3);
  const colours = new THREE.BufferAttribute(new Float32Array(count * 3), 3);
  const states = new THREE.BufferAttribute(new Float32Array(count), 1);
  const index = new Float32Array(count);
  for (let i = 0; i < count; i++) index[i] = i;
  geometry.setAttribute("position", positions);
  geometry.setAttribute("aFrom", from);
  geometry.setAttribute("color", colours);
  geometry.setAttribute("aIndex", new THREE.BufferAttribute(index, 1));
  geometry.setAttribute("aState", states);
  geometry.boundingSphere = new THREE.Sphere(new THREE.Vector3(), 2);

  const texture = new THREE.DataTexture(sprite.grey, sprite.side, sprite.side, THREE.RedFormat);
  texture.unpackAlignment = 1;
  texture.magFilter = THREE.LinearFilter;
  texture.minFilter = THREE.LinearFilter;
  texture.needsUpdate = true;
  const material = new THREE.ShaderMaterial({
    vertexShader: VERTEX_SHADER,
    fragmentShader: FRAGMENT_SHADER,
    uniforms: {
      uWorldSize: {value: WORLD_SIZE},
      uMix: {value: 1},
      uViewHeight: {value: 1},
      uMinPx: {value: 3},
      uMaxPx: {value: MAX_CSS_PX},
      uThumbPx: {value: THUMB_CSS_PX},
      uSprite: {value: texture},
      uCells: {value: sprite.cells},
      uBackground: {value: new THREE.Color(BACKGROUND)}
    }
  });
  const points = new THREE.Points(geometry, material);
  points.frustumCulled = false;
  return {points, geometry, material, texture, positions, from, colours, states};
}
