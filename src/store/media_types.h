// The media types Ollama gives manifests, config blobs and layers.
#pragma once

#include <string_view>

namespace corral::store::media_type {

inline constexpr std::string_view kManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kConfig = "application/vnd.docker.container.image.v1+json";

inline constexpr std::string_view kModel = "application/vnd.ollama.image.model";
inline constexpr std::string_view kProjector = "application/vnd.ollama.image.projector";
inline constexpr std::string_view kAdapter = "application/vnd.ollama.image.adapter";
inline constexpr std::string_view kDraft = "application/vnd.ollama.image.draft";
inline constexpr std::string_view kTemplate = "application/vnd.ollama.image.template";
inline constexpr std::string_view kPrompt = "application/vnd.ollama.image.prompt";  // legacy name of template
inline constexpr std::string_view kSystem = "application/vnd.ollama.image.system";
inline constexpr std::string_view kParams = "application/vnd.ollama.image.params";
inline constexpr std::string_view kMessages = "application/vnd.ollama.image.messages";
inline constexpr std::string_view kLicense = "application/vnd.ollama.image.license";
inline constexpr std::string_view kEmbed = "application/vnd.ollama.image.embed";  // legacy, ignored
inline constexpr std::string_view kTensor = "application/vnd.ollama.image.tensor";
inline constexpr std::string_view kJson = "application/vnd.ollama.image.json";

}  // namespace corral::store::media_type
