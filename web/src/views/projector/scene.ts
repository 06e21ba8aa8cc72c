/**
 * The projector's WebGL scatter (three.js): all points in one THREE.Points with a ShaderMaterial,
 * seen through the {@link CameraRig}'s 2-D or 3-D camera. It renders on demand (after a change),
 * never in a loop, and allocates nothing per frame.
 */
import * as THREE from "three";

import {CameraRig, type CameraState} from "./cameraRig.js";
import type {Dim} from "./layouts.js";
import {BACKGROUND, createPointCloud, MAX_CSS_PX, THUMB_CSS_PX, WORLD_SIZE, type SpriteSheet} from "./pointCloud.js";

/** How long points take to move to a new layout. */
const TRANSITION_MS = 450;

export class ProjectorScene {
  readonly canvas: HTMLCanvasElement;
  readonly count: number;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly geometry: THREE.BufferGeometry;
  private readonly material: THREE.ShaderMaterial;
  private readonly texture: THREE.DataTexture;
  private readonly positions: THREE.BufferAttribute;
  /** Where each point was when the layout last changed (the start of the transition). */
  private readonly from: THREE.BufferAttribute;
  private transitionStart = -Infinity;
  private readonly colours: THREE.BufferAttribute;
  private readonly states: THREE.BufferAttribute;
  private readonly rig: CameraRig;
  private frame = 0;
  private readonly resize: ResizeObserver;
  private readonly clip = new THREE.Vector4();
  private readonly viewProjection = new THREE.Matrix4();
  /** Number of frames drawn (tests and the frame-time measurement read it). */
  renders = 0;
  /** Called after each frame is drawn. */
  onRender?: () => void;
  /** Called after the view moved (pan, zoom, orbit, reset, restore). */
  onCameraChange?: () => void;

  constructor(
    private readonly container: HTMLElement,
    count: number,
    sprite: SpriteSheet
  ) {
    this.count = count;
    try {
      this.renderer = new THREE.WebGLRenderer({antialias: true, preserveDrawingBuffer: true});
    } catch (error) {
      throw new Error(
        `The projector needs WebGL, which this browser did not give (${(error as Error).message}). Enable hardware acceleration or use a current Chromium or Firefox.`,
        {cause: error}
      );
    }
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.setClearColor(new THREE.Color(BACKGROUND));
    this.canvas = this.renderer.domElement;
    this.canvas.tabIndex = 0;
    container.append(this.canvas);

    const cloud = createPointCloud(count, sprite);
    ({
      geometry: this.geometry,
      material: this.material,
      texture: this.texture,
      positions: this.positions,
      from: this.from,
      colours: this.colours,
      states: this.states
    } = cloud);
    this.scene.add(cloud.points);

    this.rig = new CameraRig(this.canvas, () => {
      this.requestRender();
      this.onCameraChange?.();
    });
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(container);
    this.fit();
  }

  /** Resizes the drawing buffer and cameras to the container. */
  private fit(): void {
    const width = Math.max(this.container.clientWidth, 1);
    const height = Math.max(this.container.clientHeight, 1);
    this.renderer.setSize(width, height, false);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.rig.fit(width / height);
    const ratio = this.renderer.getPixelRatio();
    const uniforms = this.material.uniforms;
    uniforms.uViewHeight.value = height * ratio;
    uniforms.uMinPx.value = 3 * ratio;
    uniforms.uMaxPx.value = MAX_CSS_PX * ratio;
    uniforms.uThumbPx.value = THUMB_CSS_PX * ratio;
    this.requestRender();
  }

  /** Draws on the next animation frame (several requests in one frame draw once). */
  requestRender(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.draw);
  }

  /** One frame (a bound field, so requesting a frame allocates nothing). */
  private readonly draw = (now: number): void => {
    this.frame = 0;
    const t = Math.min(1, (now - this.transitionStart) / TRANSITION_MS);
    // Ease in and out; keep drawing until the points have arrived.
    this.material.uniforms.uMix.value = t * t * (3 - 2 * t);
    if (t < 1) this.requestRender();
    this.renderer.render(this.scene, this.rig.camera);
    this.renders++;
    this.onRender?.();
  };

  /** Switches between the 2-D (orthographic, pan and zoom) and 3-D (perspective, orbit) cameras. */
  setDim(dim: Dim): void {
    this.rig.setDim(dim);
  }

  /** Back to the whole layout, seen from the front. */
  resetView(): void {
    this.rig.resetView();
  }

  /** Zooms about the centre of the view by `factor` (> 1 zooms in): for the keyboard and the buttons. */
  zoom(factor: number): void {
    this.rig.zoom(factor);
  }

  /** Moves the view (not the zoom) so that point `i` is in the middle. */
  centreOn(i: number): void {
    const p = this.positions.array as Float32Array;
    this.rig.centreOn(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]);
  }

  /** Enables or disables the mouse controls (off while lassoing). */
  setControlsEnabled(enabled: boolean): void {
    this.rig.setEnabled(enabled);
  }

  /** The view as numbers, for the URL; undefined when it is the reset view. */
  cameraState(): CameraState | undefined {
    return this.rig.isReset() ? undefined : this.rig.state();
  }

  /** Shows a view saved by {@link cameraState}; false when it does not fit the current dimension. */
  restoreCamera(values: readonly number[]): boolean {
    return this.rig.restore(values);
  }

  /** Copies positions (count × 3) into the buffer; with `animate`, points move there from where they are drawn now. */
  setPositions(positions: Float32Array, animate = false): void {
    const to = this.positions.array as Float32Array;
    if (animate) {
      const from = this.from.array as Float32Array;
      const m = this.material.uniforms.uMix.value as number;
      for (let i = 0; i < from.length; i++) from[i] += (to[i] - from[i]) * m;
      this.from.needsUpdate = true;
      this.transitionStart = performance.now();
      this.material.uniforms.uMix.value = 0;
    } else {
      this.transitionStart = -Infinity;
      this.material.uniforms.uMix.value = 1;
    }
    to.set(positions);
    this.positions.needsUpdate = true;
    this.requestRender();
  }

  /** The colour buffer, to fill in place; call {@link coloursChanged} after. */
  get colourArray(): Float32Array {
    return this.colours.array as Float32Array;
  }

  coloursChanged(): void {
    this.colours.needsUpdate = true;
    this.requestRender();
  }

  /** The state buffer (see shaders.ts), to fill in place; call {@link statesChanged} after. */
  get stateArray(): Float32Array {
    return this.states.array as Float32Array;
  }

  statesChanged(): void {
    this.states.needsUpdate = true;
    this.requestRender();
  }

  /**
   * Writes every point's position in CSS pixels relative to the canvas into `out` (x, y pairs;
   * NaN behind the camera). Used for picking and lasso, not per frame.
   */
  projectAll(out: Float32Array): void {
    const e = this.updateViewProjection().elements;
    const p = this.positions.array as Float32Array;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    for (let i = 0; i < this.count; i++) {
      const x = p[i * 3];
      const y = p[i * 3 + 1];
      const z = p[i * 3 + 2];
      const w = e[3] * x + e[7] * y + e[11] * z + e[15];
      if (w <= 0) {
        out[i * 2] = out[i * 2 + 1] = NaN;
        continue;
      }
      out[i * 2] = ((e[0] * x + e[4] * y + e[8] * z + e[12]) / w + 1) * 0.5 * width;
      out[i * 2 + 1] = (1 - (e[1] * x + e[5] * y + e[9] * z + e[13]) / w) * 0.5 * height;
    }
  }

  /** One point's position in CSS pixels relative to the canvas. */
  screenPosition(i: number): {x: number; y: number} {
    const p = this.positions.array as Float32Array;
    this.clip.set(p[i * 3], p[i * 3 + 1], p[i * 3 + 2], 1);
    this.clip.applyMatrix4(this.updateViewProjection());
    return {
      x: (this.clip.x / this.clip.w + 1) * 0.5 * this.canvas.clientWidth,
      y: (1 - this.clip.y / this.clip.w) * 0.5 * this.canvas.clientHeight
    };
  }

  private updateViewProjection(): THREE.Matrix4 {
    const camera = this.rig.camera;
    camera.updateMatrixWorld();
    return this.viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
  }

  /** A point's current size on screen in CSS pixels, at the view's centre (for the picking radius). */
  pointPixels(): number {
    return Math.min(Math.max(3, this.rig.pixelsOf(WORLD_SIZE, this.canvas.clientHeight)), MAX_CSS_PX);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.rig.dispose();
    this.geometry.dispose();
    this.material.dispose();
    this.texture.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.canvas.remove();
  }
}
