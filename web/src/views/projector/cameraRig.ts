/**
 * The projector's cameras: orthographic with pan and zoom for 2-D, perspective with OrbitControls'
 * orbit for 3-D; zoom for the keyboard and buttons, centring on a point; and the view as a few numbers for the URL.
 */
import * as THREE from "three";
import {OrbitControls} from "three/examples/jsm/controls/OrbitControls.js";

import type {Dim} from "./layouts.js";

/** Half the height of the 2-D view at zoom 1, in layout units. */
const VIEW_HALF = 1.08;
/** The 3-D camera's distance from the centre when the view is reset. */
const DISTANCE_3D = 2.9;
const MIN_ZOOM = 0.5;
/** The 3-D camera's vertical field of view in degrees (on a landscape viewport). */
const FOV = 45;
const MAX_ZOOM = 400;

/**
 * The view: 2-D `[targetX, targetY, zoom]`; 3-D `[positionX, positionY, positionZ, targetX,
 * targetY, targetZ]` (OrbitControls keeps the camera upright, so these fix it).
 */
export type CameraState = number[];

export class CameraRig {
  private readonly ortho = new THREE.OrthographicCamera(-1, 1, 1, -1, -10, 10);
  private readonly perspective = new THREE.PerspectiveCamera(FOV, 1, 0.01, 50);
  private current: THREE.Camera = this.ortho;
  private controls: OrbitControls;
  private dimension: Dim = 2;
  private readonly offset = new THREE.Vector3();

  /** `changed` runs after every change of the view (drag, wheel, keys, buttons, restore). */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly changed: () => void
  ) {
    this.perspective.position.set(0, 0, DISTANCE_3D);
    this.ortho.position.set(0, 0, 5);
    this.controls = this.makeControls();
  }

  get camera(): THREE.Camera {
    return this.current;
  }

  get dim(): Dim {
    return this.dimension;
  }

  private makeControls(): OrbitControls {
    const controls = new OrbitControls(this.current, this.canvas);
    if (this.dimension === 2) {
      controls.enableRotate = false;
      controls.mouseButtons = {LEFT: THREE.MOUSE.PAN, MIDDLE: THREE.MOUSE.DOLLY, RIGHT: THREE.MOUSE.PAN};
      controls.touches = {ONE: THREE.TOUCH.PAN, TWO: THREE.TOUCH.DOLLY_PAN};
      controls.minZoom = MIN_ZOOM;
      controls.maxZoom = MAX_ZOOM;
    } else {
      controls.minDistance = 0.02;
      controls.maxDistance = 12;
    }
    controls.zoomToCursor = true;
    controls.screenSpacePanning = true;
    controls.keyPanSpeed = 20;
    controls.listenToKeyEvents(this.canvas);
    controls.addEventListener("change", this.changed);
    return controls;
  }

  /**
   * Fits both cameras to a viewport of this aspect ratio (width / height): the whole layout fits
   * its shorter side, so a tall phone screen shows it all too.
   */
  fit(aspect: number): void {
    const half = aspect >= 1 ? VIEW_HALF : VIEW_HALF / aspect;
    this.ortho.left = -half * aspect;
    this.ortho.right = half * aspect;
    this.ortho.top = half;
    this.ortho.bottom = -half;
    this.ortho.updateProjectionMatrix();
    this.perspective.aspect = aspect;
    this.perspective.fov =
      aspect >= 1 ? FOV : (2 * Math.atan(Math.tan((FOV * Math.PI) / 360) / aspect) * 180) / Math.PI;
    this.perspective.updateProjectionMatrix();
  }

  /** Switches between the 2-D and 3-D cameras (and resets the view). */
  setDim(dim: Dim): void {
    if (dim === this.dimension) return;
    this.dimension = dim;
    this.current = dim === 2 ? this.ortho : this.perspective;
    this.controls.dispose();
    this.controls = this.makeControls();
    this.resetView();
  }

  /** Back to the whole layout, seen from the front. */
  resetView(): void {
    this.controls.target.set(0, 0, 0);
    if (this.dimension === 2) {
      this.ortho.position.set(0, 0, 5);
      this.ortho.zoom = 1;
      this.ortho.updateProjectionMatrix();
    } else {
      this.perspective.position.set(0, 0, DISTANCE_3D);
    }
    this.update();
  }

  /** Zooms about the centre of the view by `factor` (> 1 zooms in): for the keyboard and the buttons. */
  zoom(factor: number): void {
    // OrbitControls multiplies the distance (or divides the zoom) by the scale it is given.
    this.controls.dollyIn(1 / factor);
    this.update();
  }

  /** Moves the view (not the zoom) so that the point (x, y, z) is in the middle. */
  centreOn(x: number, y: number, z: number): void {
    const target = this.controls.target;
    this.offset.set(x - target.x, y - target.y, z - target.z);
    this.current.position.add(this.offset);
    target.add(this.offset);
    this.update();
  }

  /** Runs OrbitControls' update and reports the change even when the controls saw none (a reset). */
  private update(): void {
    if (!this.controls.update()) this.changed();
  }

  /** Enables or disables the mouse controls (off while lassoing). */
  setEnabled(enabled: boolean): void {
    this.controls.enabled = enabled;
  }

  /** A point's size on screen in CSS pixels, at the view's centre, for a size of `worldSize` and a viewport `height`. */
  pixelsOf(worldSize: number, height: number): number {
    return this.dimension === 2
      ? (worldSize * this.ortho.zoom * height) / (this.ortho.top - this.ortho.bottom)
      : (worldSize * this.perspective.projectionMatrix.elements[5] * 0.5 * height) /
          this.perspective.position.distanceTo(this.controls.target);
  }

  /** The view as numbers (see {@link CameraState}). */
  state(): CameraState {
    const t = this.controls.target;
    if (this.dimension === 2) return [t.x, t.y, this.ortho.zoom];
    const p = this.perspective.position;
    return [p.x, p.y, p.z, t.x, t.y, t.z];
  }

  /** Whether the view is the one {@link resetView} gives (the URL leaves it out). */
  isReset(): boolean {
    const reset = this.dimension === 2 ? [0, 0, 1] : [0, 0, DISTANCE_3D, 0, 0, 0];
    return this.state().every((v, i) => Math.abs(v - reset[i]) < 1e-4);
  }

  /** Shows a view from {@link state}; false (and nothing changed) when it is not one for the current dimension. */
  restore(values: readonly number[]): boolean {
    if (!values.every(Number.isFinite)) return false;
    if (this.dimension === 2 && values.length === 3) {
      const [x, y, zoom] = values;
      this.controls.target.set(x, y, 0);
      this.ortho.position.set(x, y, 5);
      this.ortho.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
      this.ortho.updateProjectionMatrix();
    } else if (this.dimension === 3 && values.length === 6) {
      this.perspective.position.set(values[0], values[1], values[2]);
      this.controls.target.set(values[3], values[4], values[5]);
    } else {
      return false;
    }
    this.update();
    return true;
  }

  dispose(): void {
    this.controls.dispose();
  }
}
