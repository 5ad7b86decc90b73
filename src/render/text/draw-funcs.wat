;; HarfBuzz's five draw callbacks, imported from JavaScript and exported again as WASM functions.
;; Only a WASM function can go in HarfBuzz's indirect function table, so this lets hb_font_draw_glyph
;; call back into JS without compiling WASM at run time, which workerd refuses.
;; Pointers are i32 and coordinates f32 (hb_draw_funcs_t *, void *draw_data, hb_draw_state_t *,
;; the points, void *user_data). Build: wat2wasm draw-funcs.wat -o draw-funcs.wasm
(module
  (type $move_or_line (func (param i32 i32 i32 f32 f32 i32)))
  (type $quadratic (func (param i32 i32 i32 f32 f32 f32 f32 i32)))
  (type $cubic (func (param i32 i32 i32 f32 f32 f32 f32 f32 f32 i32)))
  (type $close (func (param i32 i32 i32 i32)))
  (import "d" "m" (func $move_to (type $move_or_line)))
  (import "d" "l" (func $line_to (type $move_or_line)))
  (import "d" "q" (func $quadratic_to (type $quadratic)))
  (import "d" "c" (func $cubic_to (type $cubic)))
  (import "d" "z" (func $close_path (type $close)))
  (export "m" (func $move_to))
  (export "l" (func $line_to))
  (export "q" (func $quadratic_to))
  (export "c" (func $cubic_to))
  (export "z" (func $close_path)))
