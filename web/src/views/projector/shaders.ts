/**
 * Shaders of the point cloud: one draw call for every point. A point's size is a fixed size in
 * layout units (so zooming in makes points bigger), clamped in pixels; once a point is big enough
 * it shows its test image, sampled from the sprite by point index, framed in its colour.
 * aState: 0 normal, 1 dimmed (a search is active and it does not match), 2 matched, 3 selected.
 */

export const VERTEX_SHADER = /* glsl */ `
attribute vec3 color;
attribute vec3 aFrom;
attribute float aIndex;
attribute float aState;
uniform float uWorldSize;
// 0 → 1 while points move from aFrom to position after a change of layout.
uniform float uMix;
uniform float uViewHeight;
uniform float uMinPx;
uniform float uMaxPx;
varying vec3 vColor;
varying float vIndex;
varying float vState;
varying float vSize;

void main() {
  vec4 clip = projectionMatrix * modelViewMatrix * vec4(mix(aFrom, position, uMix), 1.0);
  // Pixels per layout unit at this depth (w is 1 for the orthographic camera).
  float px = uWorldSize * projectionMatrix[1][1] * 0.5 * uViewHeight / clip.w;
  float size = clamp(px, uMinPx, uMaxPx);
  if (aState > 2.5) size = max(size * 1.6, uMinPx * 3.0);
  else if (aState > 0.5 && aState < 1.5) size = max(size * 0.8, uMinPx * 0.8);
  // Matched and selected points are drawn in front of the others.
  if (aState > 1.5) clip.z -= 0.002 * clip.w * (aState - 1.0);
  gl_Position = clip;
  gl_PointSize = size;
  vColor = color;
  vIndex = aIndex;
  vState = aState;
  vSize = size;
}
`;

export const FRAGMENT_SHADER = /* glsl */ `
uniform sampler2D uSprite;
uniform float uCells;
uniform float uThumbPx;
uniform vec3 uBackground;
varying vec3 vColor;
varying float vIndex;
varying float vState;
varying float vSize;

void main() {
  vec2 pc = gl_PointCoord;
  vec3 colour = vColor;
  bool dimmed = vState > 0.5 && vState < 1.5;
  if (vSize >= uThumbPx) {
    float index = floor(vIndex + 0.5);
    vec2 cell = vec2(mod(index, uCells), floor(index / uCells));
    float grey = texture2D(uSprite, (cell + pc) / uCells).r;
    // A frame in the point's colour, about 2 px wide whatever the size.
    vec2 edge = min(pc, 1.0 - pc) * vSize;
    float frame = vState > 2.5 ? 3.0 : 1.5;
    colour = min(edge.x, edge.y) < frame ? (vState > 2.5 ? vec3(1.0) : vColor) : vec3(grey) * mix(vec3(1.0), vColor, 0.12);
  } else {
    vec2 d = pc - 0.5;
    float r = length(d) * 2.0;
    if (r > 1.0) discard;
    if (vState > 2.5 && r > 0.62) colour = vec3(1.0);
  }
  if (dimmed) colour = mix(colour, uBackground, 0.78);
  gl_FragColor = vec4(colour, 1.0);
}
`;
